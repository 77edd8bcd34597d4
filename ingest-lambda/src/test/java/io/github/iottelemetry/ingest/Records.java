package io.github.iottelemetry.ingest;

import io.github.iottelemetry.core.payload.Reading;
import io.github.iottelemetry.core.payload.TelemetryCodec;
import io.github.iottelemetry.core.payload.TelemetryMessage;
import io.github.iottelemetry.ingest.batch.IngestRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Kinesis records shaped as the IoT rule writes them. */
final class Records {
    static final long NOW = System.currentTimeMillis();

    private final String shardId;
    private long nextSequence;
    private final List<IngestRecord> batch = new ArrayList<>();

    Records(String shardId, long firstSequence) {
        this.shardId = shardId;
        this.nextSequence = firstSequence;
    }

    static byte[] telemetry(String device, String thing, long seq, double temperature) {
        return telemetry(device, thing, seq, temperature, 0);
    }

    /** A message sent {@code sentBeforeNowMillis} earlier than the others (its readings just before it). */
    static byte[] telemetry(String device, String thing, long seq, double temperature, long sentBeforeNowMillis) {
        long sentAt = NOW - 1000 - sentBeforeNowMillis;
        List<Reading> readings = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("temperature", temperature + i);
            m.put("battery", 3.7);
            readings.add(Reading.of(sentAt - 2000 + i * 1000L, m));
        }
        return TelemetryCodec.encode(
                TelemetryMessage.fromDevice(device, seq, sentAt, readings).withIngest(thing, NOW - 500));
    }

    Records add(byte[] data) {
        batch.add(new IngestRecord(batch.size(), shardId, String.format("%056d", nextSequence++), NOW - 400, data));
        return this;
    }

    Records add(String text) {
        return add(text.getBytes(StandardCharsets.UTF_8));
    }

    List<IngestRecord> batch() {
        return List.copyOf(batch);
    }
}
