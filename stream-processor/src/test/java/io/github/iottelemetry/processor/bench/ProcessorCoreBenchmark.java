package io.github.iottelemetry.processor.bench;

import io.github.iottelemetry.core.aggregate.WindowAggregate;
import io.github.iottelemetry.core.payload.Reading;
import io.github.iottelemetry.core.payload.TelemetryCodec;
import io.github.iottelemetry.core.payload.TelemetryMessage;
import io.github.iottelemetry.core.validation.TelemetryValidator;
import io.github.iottelemetry.core.validation.ValidationLimits;
import io.github.iottelemetry.core.validation.ValidationResult;
import io.github.iottelemetry.core.window.Resolution;
import io.github.iottelemetry.processor.output.parquet.AggregateParquetFormat;
import io.github.iottelemetry.processor.output.parquet.AggregateRow;
import io.github.iottelemetry.processor.window.AggregationSettings;
import io.github.iottelemetry.processor.window.ShardAggregator;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The processor's core on one thread, records already fetched: decode + validate, fold into 1m windows
 * (watermark close, durability tracking), and encode every closed window as Parquet rows. Prints
 * readings per second per core. Run: {@code ./mvnw -q -pl stream-processor -am -Pbench verify -DskipTests}.
 */
public final class ProcessorCoreBenchmark {
    public static void main(String[] args) throws Exception {
        int devices = 1_000;
        int messagesPerDevice = args.length > 0 ? Integer.parseInt(args[0]) : 120;
        int readingsPerMessage = 10;
        long base = 1_763_884_800_000L;
        List<byte[]> records = new ArrayList<>();
        for (int seq = 1; seq <= messagesPerDevice; seq++) {
            for (int d = 0; d < devices; d++) {
                String device = String.format("sim-%06d", d);
                List<Reading> readings = new ArrayList<>(readingsPerMessage);
                for (int i = 0; i < readingsPerMessage; i++) {
                    long ts = base + seq * 10_000L + i * 1_000L;
                    Map<String, Double> m = new LinkedHashMap<>();
                    m.put("temperature", 20 + (seq * 7 + i) % 100 / 10.0);
                    m.put("humidity", 40 + (d + i) % 50 / 10.0);
                    m.put("battery", 3.71);
                    readings.add(Reading.of(ts, m));
                }
                records.add(TelemetryCodec.encode(
                        TelemetryMessage.fromDevice(device, seq, base + seq * 10_000L + 9_500, readings)
                                .withIngest(device, base + seq * 10_000L + 9_600)));
            }
        }
        long readings = (long) records.size() * readingsPerMessage;
        System.out.printf(
                "processor core: %,d records x %d readings (3 metrics each), %,d devices, 1m windows%n",
                records.size(), readingsPerMessage, devices);
        // Per core = per CPU-second of this thread: on a shared machine, wall time also counts other processes.
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        int rounds = Integer.getInteger("bench.rounds", 12); // C2 needs a few rounds on this code
        int warmup = Math.min(3, rounds - 1);
        double[] perCpuSecond = new double[rounds - warmup];
        for (int round = 1; round <= rounds; round++) {
            long start = System.nanoTime();
            long cpuStart = threads.getCurrentThreadCpuTime();
            long rows = run(records);
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpuSeconds = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9;
            System.out.printf(
                    "round %d: %.2f s wall, %.2f s CPU: %,.0f readings per CPU-second (%,.0f values), %,.0f readings/s wall,"
                            + " %,d Parquet rows%n",
                    round,
                    seconds,
                    cpuSeconds,
                    readings / cpuSeconds,
                    readings * 3 / cpuSeconds,
                    readings / seconds,
                    rows);
            if (round > warmup) {
                perCpuSecond[round - warmup - 1] = readings / cpuSeconds;
            }
        }
        java.util.Arrays.sort(perCpuSecond);
        System.out.printf(
                "after %d warm-up rounds: median %,.0f readings per CPU-second, best %,.0f, worst %,.0f"
                        + " (target: 2,000,000 per core)%n",
                warmup, perCpuSecond[perCpuSecond.length / 2], perCpuSecond[perCpuSecond.length - 1], perCpuSecond[0]);
    }

    private static long run(List<byte[]> records) throws Exception {
        TelemetryValidator validator = new TelemetryValidator(ValidationLimits.defaults());
        ShardAggregator shard = new ShardAggregator(
                new AggregationSettings(
                        List.of(Resolution.parse("1m")), Duration.ofMinutes(2), Duration.ofDays(1), Duration.ofDays(1)),
                0);
        long rows = 0;
        long n = 0;
        for (byte[] record : records) {
            ValidationResult r = validator.validate(record, 0);
            String sequenceNumber = Long.toString(n++);
            if (r instanceof ValidationResult.Valid v) {
                shard.add(sequenceNumber, v.message(), 0);
            } else {
                throw new IllegalStateException("benchmark record " + sequenceNumber + " is invalid: " + r);
            }
            if (n % 10_000 == 0) {
                rows += encode(shard, shard.closeDue(0));
            }
        }
        rows += encode(shard, shard.closeAll(0));
        return rows;
    }

    private static long encode(ShardAggregator shard, List<WindowAggregate> closed) throws Exception {
        if (closed.isEmpty()) {
            return 0;
        }
        List<AggregateRow> rows = new ArrayList<>();
        for (WindowAggregate w : closed) {
            w.metrics().forEach((metric, a) -> rows.add(AggregateRow.of(w.key(), metric, a, 1)));
        }
        AggregateParquetFormat.write(rows);
        shard.durable(closed);
        shard.checkpointPosition();
        return rows.size();
    }
}
