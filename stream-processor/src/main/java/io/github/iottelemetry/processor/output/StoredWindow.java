package io.github.iottelemetry.processor.output;

import io.github.iottelemetry.core.aggregate.MetricAggregate;
import io.github.iottelemetry.core.aggregate.WindowKey;
import java.util.Map;

/** A window's aggregates as they stand in DynamoDB after a write: what the lake file must show. */
public record StoredWindow(WindowKey key, Map<String, MetricAggregate> metrics) {
}
