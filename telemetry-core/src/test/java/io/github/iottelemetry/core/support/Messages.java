package io.github.iottelemetry.core.support;

import io.github.iottelemetry.core.payload.Reading;
import io.github.iottelemetry.core.payload.TelemetryCodec;
import io.github.iottelemetry.core.payload.TelemetryMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Realistic telemetry.v1 messages for tests. */
public final class Messages {
    public static final long T0 = 1_763_884_800_000L; // 2025-11-23T08:00:00Z

    private Messages() {}

    public static List<Reading> readings(int n, long firstTs, long stepMillis) {
        List<Reading> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("temperature", 21.5 + i * 0.1);
            m.put("humidity", 40.2 - i * 0.05);
            m.put("battery", 3.71);
            m.put("pressure", 1013.25 + i);
            out.add(Reading.of(firstTs + i * stepMillis, m));
        }
        return out;
    }

    /** A message as the IoT rule forwards it: thing = deviceId, ingestTs shortly after sentAt. */
    public static TelemetryMessage fromRule(String device, long seq, int readings) {
        long sentAt = T0 + seq * 10_000;
        return TelemetryMessage.fromDevice(device, seq, sentAt, readings(readings, sentAt - readings * 1000L, 1000))
                .withIngest(device, sentAt + 150);
    }

    public static byte[] json(TelemetryMessage m) {
        return TelemetryCodec.encode(m);
    }

    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A hand-written record around the given readings JSON, as the rule would forward it. */
    public static byte[] record(String deviceId, String thing, String readingsJson) {
        return utf8("{\"schema\":\"telemetry.v1\",\"deviceId\":\"" + deviceId + "\",\"seq\":7,\"sentAt\":" + (T0 + 1000)
                + ",\"readings\":" + readingsJson + ",\"thing\":\"" + thing + "\",\"ingestTs\":" + (T0 + 1200) + "}");
    }
}
