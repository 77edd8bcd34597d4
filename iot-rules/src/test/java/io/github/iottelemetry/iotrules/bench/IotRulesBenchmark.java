package io.github.iottelemetry.iotrules.bench;

import io.github.iottelemetry.iotrules.IotSqlStatement;
import io.github.iottelemetry.iotrules.MessageContext;
import io.github.iottelemetry.iotrules.template.SubstitutionTemplate;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Supplier;

/**
 * The rules engine alone, on one thread: for each telemetry.v1 message (10 readings x 4 metrics, ~1 KB) route
 * it by the pipeline rule's FROM, evaluate {@code SELECT *, topic(3) AS thing, timestamp() AS ingestTs} to the
 * bytes the Kinesis action sends, and render the PartitionKey {@code ${topic(3)}}. Prints messages/s and bytes
 * allocated per message for the splice path (what the broker uses) and for the general tree path.
 * Run: {@code ./mvnw -q -pl iot-rules -am -Pbench verify -DskipTests} (system property bench.seconds, default 10).
 */
public final class IotRulesBenchmark {

    static final String PIPELINE_RULE = "SELECT *, topic(3) AS thing, timestamp() AS ingestTs FROM 'dt/telemetry/+'";
    static final String PARTITION_KEY = "${topic(3)}";
    private static final long TARGET_MESSAGES_PER_SECOND = 200_000;

    public static void main(String[] args) {
        int seconds = Integer.getInteger("bench.seconds", 10);
        List<String> topics = new ArrayList<>();
        List<byte[]> payloads = generate(1000, 10, topics);
        IotSqlStatement rule = IotSqlStatement.parse(PIPELINE_RULE);
        SubstitutionTemplate partitionKey = SubstitutionTemplate.parse(PARTITION_KEY);
        double averageBytes =
                payloads.stream().mapToInt(p -> p.length).average().orElse(0);
        System.out.printf(Locale.ROOT, "iot-rules benchmark: %s + PartitionKey %s%n", PIPELINE_RULE, PARTITION_KEY);
        System.out.printf(
                Locale.ROOT,
                "  %d messages of telemetry.v1, 10 readings x 4 metrics, %.0f bytes/payload, 1 thread%n",
                payloads.size(),
                averageBytes);

        for (boolean splice : new boolean[] {true, false}) {
            run(rule, partitionKey, topics, payloads, splice, 3_000); // warm-up
            com.sun.management.ThreadMXBean threads =
                    (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
            long cpuBefore = threads.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            long messages = run(rule, partitionKey, topics, payloads, splice, seconds * 1000L);
            double elapsed = (System.nanoTime() - start) / 1e9;
            double cpu = (threads.getCurrentThreadCpuTime() - cpuBefore) / 1e9;
            long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;
            System.out.printf(
                    Locale.ROOT,
                    "%s%n",
                    splice
                            ? "splice path (evaluateToBytes, used by actions):"
                            : "general path (evaluate -> tree -> bytes):");
            System.out.printf(
                    Locale.ROOT, "  messages:    %,d in %.1f s (thread CPU %.1f s)%n", messages, elapsed, cpu);
            System.out.printf(
                    Locale.ROOT,
                    "  messages/s:  %,.0f (wall), %,.0f per CPU-second%n",
                    messages / elapsed,
                    messages / cpu);
            System.out.printf(Locale.ROOT, "  allocation:  %,.0f bytes/message%n", (double) allocated / messages);
            if (splice) {
                System.out.printf(
                        Locale.ROOT,
                        "  target:      %,d messages/s on one core -> %s%n",
                        TARGET_MESSAGES_PER_SECOND,
                        messages / cpu >= TARGET_MESSAGES_PER_SECOND ? "met" : "NOT met");
            }
        }
    }

    private static long run(
            IotSqlStatement rule,
            SubstitutionTemplate partitionKey,
            List<String> topics,
            List<byte[]> payloads,
            boolean splice,
            long millis) {
        long deadline = System.currentTimeMillis() + millis;
        Supplier<String> noUuids = () -> {
            throw new IllegalStateException("the pipeline rule does not call newuuid()");
        };
        long messages = 0;
        long checksum = 0;
        while (System.currentTimeMillis() < deadline) {
            long now = System.currentTimeMillis();
            for (int i = 0; i < payloads.size(); i++) {
                String topic = topics.get(i);
                if (!rule.matches(topic)) {
                    throw new IllegalStateException("benchmark topic not matched: " + topic);
                }
                MessageContext message = MessageContext.builder(topic, payloads.get(i))
                        .timestampMillis(now)
                        .uuidSupplier(noUuids)
                        .build();
                byte[] record = splice
                        ? rule.evaluateToBytes(message).orElseThrow()
                        : IotSqlStatement.toBytes(rule.evaluate(message).orElseThrow());
                checksum += record.length + partitionKey.render(message).length();
                messages++;
            }
        }
        if (checksum == 0) {
            throw new IllegalStateException("no output produced");
        }
        return messages;
    }

    /** telemetry.v1 payloads as device-sim publishes them (compact JSON, short decimals). */
    static List<byte[]> generate(int devices, int perDevice, List<String> topics) {
        Random random = new Random(20261123);
        long t0 = 1_763_884_800_000L;
        List<byte[]> payloads = new ArrayList<>(devices * perDevice);
        for (int seq = 1; seq <= perDevice; seq++) {
            for (int d = 1; d <= devices; d++) {
                String id = String.format(Locale.ROOT, "sim-%06d", d);
                long sentAt = t0 + seq * 10_000L;
                StringBuilder json = new StringBuilder(1100);
                json.append("{\"schema\":\"telemetry.v1\",\"deviceId\":\"")
                        .append(id)
                        .append("\",\"seq\":")
                        .append(seq)
                        .append(",\"sentAt\":")
                        .append(sentAt)
                        .append(",\"readings\":[");
                for (int r = 0; r < 10; r++) {
                    if (r > 0) {
                        json.append(',');
                    }
                    json.append("{\"ts\":")
                            .append(sentAt - 10_000 + r * 1000L)
                            .append(",\"m\":{")
                            .append("\"temperature\":")
                            .append(round(21 + random.nextGaussian(), 100))
                            .append(",\"humidity\":")
                            .append(round(40 + 5 * random.nextGaussian(), 100))
                            .append(",\"battery\":")
                            .append(round(3.7 - seq * 1e-4, 1000))
                            .append(",\"pressure\":")
                            .append(round(1013 + random.nextGaussian(), 100))
                            .append("}}");
                }
                json.append("]}");
                payloads.add(json.toString().getBytes(StandardCharsets.UTF_8));
                topics.add("dt/telemetry/" + id);
            }
        }
        return payloads;
    }

    private static double round(double value, int scale) {
        return Math.round(value * scale) / (double) scale;
    }
}
