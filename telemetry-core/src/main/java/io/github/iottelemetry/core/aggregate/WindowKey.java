package io.github.iottelemetry.core.aggregate;

import io.github.iottelemetry.core.window.Resolution;

/**
 * One device's window at one resolution. {@link #partitionKey()} is the DynamoDB aggregates table's
 * partition key, {@code deviceId#resolution} (DESIGN.md); {@code windowStart} is its sort key.
 */
public record WindowKey(String deviceId, Resolution resolution, long windowStart) {

    public long windowEnd() {
        return windowStart + resolution.millis();
    }

    public String partitionKey() {
        return deviceId + "#" + resolution.label();
    }
}
