package io.github.iottelemetry.core.bench;

import io.github.iottelemetry.core.aggregate.WindowAggregator;
import io.github.iottelemetry.core.payload.Reading;
import io.github.iottelemetry.core.payload.TelemetryCodec;
import io.github.iottelemetry.core.payload.TelemetryMessage;
import io.github.iottelemetry.core.validation.TelemetryValidator;
import io.github.iottelemetry.core.validation.ValidationLimits;
import io.github.iottelemetry.core.validation.ValidationResult;
import io.github.iottelemetry.core.window.Resolution;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Decode + validate + fold into 1-minute window aggregates, on one thread, for telemetry.v1 records
 * of 10 readings x 4 metrics as the IoT rule forwards them. Prints readings/s and bytes allocated per
 * message. Run: {@code ./mvnw -q -pl telemetry-core -am -Pbench verify -DskipTests}
 * (optional system properties: bench.seconds, bench.devices, bench.messagesPerDevice).
 */
public final class CoreBenchmark {

    public static void main(String[] args) {
        int seconds = Integer.getInteger("bench.seconds", 10);
        int devices = Integer.getInteger("bench.devices", 1000);
        int perDevice = Integer.getInteger("bench.messagesPerDevice", 30);
        List<byte[]> records = generate(devices, perDevice);
        long ingestTs = 1_763_884_800_000L + perDevice * 10_000L + 1000;
        int readingsPerMessage = 10;
        TelemetryValidator validator = new TelemetryValidator(ValidationLimits.defaults());
        List<Resolution> resolutions = List.of(Resolution.ONE_MINUTE);
        double avgBytes = records.stream().mapToInt(r -> r.length).average().orElse(0);
        System.out.printf(
                "telemetry-core benchmark: %d devices x %d messages, 10 readings x 4 metrics, %.0f bytes/record, 1 thread%n",
                devices, perDevice, avgBytes);

        run(records, validator, resolutions, ingestTs, 3_000); // warm-up
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long allocBefore = threads.getCurrentThreadAllocatedBytes();
        long cpuBefore = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        long messages = run(records, validator, resolutions, ingestTs, seconds * 1000L);
        double elapsed = (System.nanoTime() - start) / 1e9;
        double cpu = (threads.getCurrentThreadCpuTime() - cpuBefore) / 1e9;
        long alloc = threads.getCurrentThreadAllocatedBytes() - allocBefore;

        long readings = messages * readingsPerMessage;
        System.out.printf("messages:        %,d in %.1f s (thread CPU %.1f s)%n", messages, elapsed, cpu);
        System.out.printf("readings/s:      %,.0f (wall), %,.0f per CPU-second%n", readings / elapsed, readings / cpu);
        System.out.printf("messages/s:      %,.0f%n", messages / elapsed);
        System.out.printf(
                "allocation:      %,.0f bytes/message, %,.0f MB/s%n", (double) alloc / messages, alloc / elapsed / 1e6);
        System.out.printf(
                "target:          2,000,000 readings/s on one core -> %s%n",
                readings / cpu >= 2_000_000 ? "met" : "NOT met");
    }

    /** Passes over all records until the time is up; windows are drained after each pass, as a processor would. */
    private static long run(
            List<byte[]> records,
            TelemetryValidator validator,
            List<Resolution> resolutions,
            long ingestTs,
            long millis) {
        long deadline = System.currentTimeMillis() + millis;
        long n = 0;
        long windows = 0;
        while (System.currentTimeMillis() < deadline) {
            WindowAggregator aggregator = new WindowAggregator(resolutions);
            for (byte[] r : records) {
                ValidationResult v = validator.validate(r, ingestTs);
                if (!(v instanceof ValidationResult.Valid valid)) {
                    throw new IllegalStateException("benchmark record rejected: " + v);
                }
                aggregator.fold(valid.message());
                n++;
            }
            windows += aggregator.drainAll().size();
        }
        if (windows == 0) {
            throw new IllegalStateException("no windows produced");
        }
        return n;
    }

    private static List<byte[]> generate(int devices, int perDevice) {
        Random rnd = new Random(20261123);
        long t0 = 1_763_884_800_000L;
        List<byte[]> out = new ArrayList<>(devices * perDevice);
        for (int seq = 1; seq <= perDevice; seq++) {
            for (int d = 1; d <= devices; d++) {
                String id = String.format("sim-%06d", d);
                long sentAt = t0 + seq * 10_000L;
                List<Reading> readings = new ArrayList<>(10);
                for (int i = 0; i < 10; i++) {
                    Map<String, Double> m = new LinkedHashMap<>();
                    m.put("temperature", Math.round((21 + rnd.nextGaussian()) * 100) / 100.0);
                    m.put("humidity", Math.round((40 + 5 * rnd.nextGaussian()) * 100) / 100.0);
                    m.put("battery", Math.round((3.7 - seq * 1e-4) * 1000) / 1000.0);
                    m.put("pressure", Math.round((1013 + rnd.nextGaussian()) * 100) / 100.0);
                    readings.add(Reading.of(sentAt - 10_000 + i * 1000L, m));
                }
                out.add(TelemetryCodec.encode(
                        TelemetryMessage.fromDevice(id, seq, sentAt, readings).withIngest(id, sentAt + 120)));
            }
        }
        return out;
    }
}
