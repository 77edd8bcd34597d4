package io.github.iottelemetry.core.payload;

import java.util.List;
import java.util.Objects;

/**
 * A {@code telemetry.v1} message. On the device side {@code thing} and {@code ingestTs} are null; the
 * IoT rule adds them (thing from the topic, never from the payload), so records read from Kinesis
 * carry both.
 *
 * <p>(deviceId, seq) identifies a message; (deviceId, seq, index in readings) identifies a reading.
 */
public record TelemetryMessage(
        String schema, String deviceId, long seq, long sentAt, List<Reading> readings, String thing, Long ingestTs) {

    public static final String SCHEMA_V1 = "telemetry.v1";

    public TelemetryMessage {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(deviceId, "deviceId");
        readings = List.copyOf(readings);
    }

    /** A message as a device sends it (no rule-added fields). */
    public static TelemetryMessage fromDevice(String deviceId, long seq, long sentAt, List<Reading> readings) {
        return new TelemetryMessage(SCHEMA_V1, deviceId, seq, sentAt, readings, null, null);
    }

    /** This message as the IoT rule forwards it, with {@code thing} and {@code ingestTs} added. */
    public TelemetryMessage withIngest(String thingFromTopic, long ingestTimestamp) {
        return new TelemetryMessage(schema, deviceId, seq, sentAt, readings, thingFromTopic, ingestTimestamp);
    }

    /** Total number of metric values in the message. */
    public int valueCount() {
        int n = 0;
        for (Reading r : readings) {
            n += r.metricCount();
        }
        return n;
    }
}
