package io.github.iottelemetry.processor.output.parquet;

import io.github.iottelemetry.core.aggregate.MetricAggregate;
import io.github.iottelemetry.core.aggregate.WindowKey;

/**
 * One row of the Glue table {@code telemetry_aggregates} (template.yaml): one device, metric and window, as the
 * DynamoDB item of that window held it at item version {@code version}. The partition columns (resolution, dt,
 * hour) are in the object key, not in the file.
 */
public record AggregateRow(
        String deviceId,
        String metric,
        long windowStartMs,
        long windowEndMs,
        long sampleCount,
        double sumValue,
        double minValue,
        double maxValue,
        long firstTsMs,
        double firstValue,
        long lastTsMs,
        double lastValue,
        long version) {

    public static AggregateRow of(WindowKey key, String metric, MetricAggregate a, long version) {
        return new AggregateRow(
                key.deviceId(),
                metric,
                key.windowStart(),
                key.windowEnd(),
                a.count(),
                a.sum(),
                a.min(),
                a.max(),
                a.firstTs(),
                a.firstValue(),
                a.lastTs(),
                a.lastValue(),
                version);
    }

    /** Rows are unique by device, metric and window start within a lake object. */
    public String identity() {
        return deviceId + "\u0000" + metric + "\u0000" + windowStartMs;
    }
}
