package io.github.iottelemetry.processor.output;

import io.github.iottelemetry.core.aggregate.MetricAggregate;
import io.github.iottelemetry.core.aggregate.WindowKey;
import java.util.Map;

/**
 * A window's aggregates as they stand in DynamoDB after a write: what the lake file must show.
 *
 * @param changed whether the write changed the item; false when it already held every message (a replay)
 * @param version the item's version holding these aggregates (DynamoDB's optimistic-locking counter, 1 for a new item):
 *                it only grows, so between two copies of a window the one with the higher version is the newer
 */
public record StoredWindow(WindowKey key, Map<String, MetricAggregate> metrics, boolean changed, long version) {}
