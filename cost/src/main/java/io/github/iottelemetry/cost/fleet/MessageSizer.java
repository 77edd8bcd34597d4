package io.github.iottelemetry.cost.fleet;

import io.github.iottelemetry.core.payload.Reading;
import io.github.iottelemetry.core.payload.TelemetryCodec;
import io.github.iottelemetry.core.payload.TelemetryMessage;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sizes the bytes the pipeline meters by encoding a representative {@code telemetry.v1} message with the
 * project's own codec: device ids as wide as the fleet needs ({@code sim-000042}), realistic epoch-millisecond
 * timestamps and values with one or two decimals. IoT Core meters payload plus topic; the Kinesis record is the
 * payload plus the {@code thing} and {@code ingestTs} fields the rule adds.
 */
public final class MessageSizer {

    /** Metric names in the order they are added for {@code --metrics n}, with typical values. */
    static final List<Map.Entry<String, Double>> METRIC_NAMES = List.of(
            Map.entry("temperature", 21.57),
            Map.entry("humidity", 40.21),
            Map.entry("battery", 3.71),
            Map.entry("pressure", 1013.25),
            Map.entry("co2", 612.0),
            Map.entry("voltage", 229.87),
            Map.entry("current", 1.42),
            Map.entry("rssi", -67.0),
            Map.entry("vibration", 0.031),
            Map.entry("light", 312.5),
            Map.entry("noise", 41.3),
            Map.entry("flow", 12.84),
            Map.entry("soil_moisture", 27.4),
            Map.entry("wind_speed", 5.62),
            Map.entry("power", 326.1),
            Map.entry("energy", 18234.77));

    private static final long EPOCH_MILLIS = 1_763_884_800_000L;
    private static final String TOPIC_PREFIX = "dt/telemetry/";

    private MessageSizer() {}

    /** Bytes IoT Core meters for one message: payload plus topic. */
    public static int mqttBytes(FleetWorkload fleet) {
        String deviceId = deviceId(fleet.devices());
        return payload(fleet, false).length + (TOPIC_PREFIX + deviceId).getBytes(StandardCharsets.UTF_8).length;
    }

    /** Bytes of one Kinesis record: the payload with the rule's {@code thing} and {@code ingestTs}. */
    public static int kinesisRecordBytes(FleetWorkload fleet) {
        return payload(fleet, true).length;
    }

    /** Bytes of the MQTT payload alone. */
    public static int payloadBytes(FleetWorkload fleet) {
        return payload(fleet, false).length;
    }

    private static byte[] payload(FleetWorkload fleet, boolean withRuleFields) {
        String deviceId = deviceId(fleet.devices());
        long intervalMillis = Math.max(1, Math.round(fleet.readingIntervalSeconds() * 1000));
        List<Reading> readings = new java.util.ArrayList<>();
        for (int i = 0; i < fleet.readingsPerMessage(); i++) {
            Map<String, Double> metrics = new LinkedHashMap<>();
            for (int m = 0; m < fleet.metricsPerReading(); m++) {
                metrics.put(METRIC_NAMES.get(m).getKey(), METRIC_NAMES.get(m).getValue());
            }
            readings.add(Reading.of(EPOCH_MILLIS + i * intervalMillis, metrics));
        }
        long sentAt = EPOCH_MILLIS + fleet.readingsPerMessage() * intervalMillis;
        TelemetryMessage message = TelemetryMessage.fromDevice(deviceId, 1_287_654L, sentAt, readings);
        if (withRuleFields) {
            message = message.withIngest(deviceId, sentAt + 180);
        }
        return TelemetryCodec.encode(message);
    }

    /** The widest id of a fleet of {@code devices}: {@code sim-} and at least six digits. */
    public static String deviceId(long devices) {
        int digits = Math.max(6, String.valueOf(devices - 1).length());
        return "sim-" + "9".repeat(digits);
    }
}
