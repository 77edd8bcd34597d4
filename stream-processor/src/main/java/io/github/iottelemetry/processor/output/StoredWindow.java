package io.github.iottelemetry.processor.output;

import io.github.iottelemetry.core.aggregate.MetricAggregate;
import io.github.iottelemetry.core.aggregate.WindowKey;
import java.util.Map;

/**
 * A window's aggregates as they stand in DynamoDB after a write: what the lake file must show.
 *
 * @param changed whether the write changed the item; false when it already held every message (a replay)
 */
public record StoredWindow(WindowKey key, Map<String, MetricAggregate> metrics, boolean changed) {
}
