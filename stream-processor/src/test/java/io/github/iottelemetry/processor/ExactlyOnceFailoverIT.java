package io.github.iottelemetry.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.iottelemetry.core.aggregate.MetricAggregate;
import io.github.iottelemetry.core.aggregate.WindowAggregate;
import io.github.iottelemetry.core.aggregate.WindowAggregator;
import io.github.iottelemetry.core.payload.Reading;
import io.github.iottelemetry.core.payload.TelemetryCodec;
import io.github.iottelemetry.core.payload.TelemetryMessage;
import io.github.iottelemetry.core.window.Resolution;
import io.github.iottelemetry.localcloud.LocalCloud;
import io.github.iottelemetry.localcloud.LocalCloudExtension;
import io.github.iottelemetry.processor.output.dynamodb.AggregateItem;
import io.github.iottelemetry.processor.output.dynamodb.MetricState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;

/**
 * Issue 7's exactly-once test: a 2-shard stream, two workers as separate JVMs, input with duplicates,
 * out-of-order and late (correction) messages; one worker is killed with SIGKILL mid-stream and the
 * other takes its lease over. DynamoDB and the Parquet lake (read with DuckDB, GROUP BY) must equal the
 * aggregates recomputed from the input: no reading lost, none counted twice.
 */
@ExtendWith(LocalCloudExtension.class)
class ExactlyOnceFailoverIT {
    private static final Resolution ONE_MINUTE = Resolution.parse("1m");
    private static final int DEVICES = 24;
    private static final int MESSAGES_PER_DEVICE = 60;
    private static final int READINGS_PER_MESSAGE = 10;

    @AutoClose
    private LocalWorkers workers;

    @Test
    void aggregatesAreExactAfterAWorkerIsKilled(LocalCloud cloud) throws Exception {
        long started = System.nanoTime();
        String run = "sp" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
        Map<String, String> env = cloud.environment();
        KinesisClient kinesis = cloud.kinesis();
        DynamoDbClient dynamo = cloud.dynamoDb();
        workers = new LocalWorkers(env, kinesis, dynamo, run, 2, Path.of("target", "it-workers"));
        String stream = workers.stream();

        // Input: per device a seq-ordered message list, then shuffled locally (out of order), 10% resent
        // (duplicates), and the last few held back until after the kill and the watermark (corrections).
        long base = ONE_MINUTE.windowStart(System.currentTimeMillis()) - 20 * 60_000L;
        Random random = new Random(7);
        List<TelemetryMessage> firstPart = new ArrayList<>();
        List<TelemetryMessage> secondPart = new ArrayList<>();
        List<TelemetryMessage> late = new ArrayList<>();
        long ingest = System.currentTimeMillis();
        for (int d = 0; d < DEVICES; d++) {
            String device = run + "-dev-" + d;
            List<TelemetryMessage> messages = new ArrayList<>();
            for (int seq = 1; seq <= MESSAGES_PER_DEVICE; seq++) {
                List<Reading> readings = new ArrayList<>();
                for (int i = 0; i < READINGS_PER_MESSAGE; i++) {
                    long ts = base + seq * 10_000L + i * 1_000L;
                    readings.add(Reading.of(
                            ts,
                            Map.of(
                                    "temperature",
                                    20 + random.nextInt(1000) / 100.0,
                                    "battery",
                                    3 + random.nextInt(100) / 100.0)));
                }
                messages.add(TelemetryMessage.fromDevice(device, seq, base + seq * 10_000L + 9_500, readings)
                        .withIngest(device, ingest));
            }
            for (int i = 0; i + 1 < messages.size(); i += 2) {
                if (random.nextInt(3) == 0) {
                    Collections.swap(messages, i, i + 1);
                }
            }
            for (int k = 0; k < 3; k++) {
                late.add(messages.remove(5 + random.nextInt(20)));
            }
            int half = messages.size() / 2;
            firstPart.addAll(messages.subList(0, half));
            secondPart.addAll(messages.subList(half, messages.size()));
            for (int k = 0; k < 5; k++) {
                (random.nextBoolean() ? firstPart : secondPart).add(messages.get(random.nextInt(half)));
            }
        }
        Map<String, MetricAggregate> expected = expectedAggregates(firstPart, secondPart, late);

        put(kinesis, stream, firstPart);
        Map<String, String> workerEnvironment = Map.of("ALLOWED_LATENESS_SECONDS", "5");
        String[] windowFlags = {"--idle-timeout-seconds", "3", "--max-open-seconds", "8"};
        Map<String, Process> byId = new LinkedHashMap<>();
        byId.put("worker-a", workers.start("worker-a", workerEnvironment, windowFlags));
        byId.put("worker-b", workers.start("worker-b", workerEnvironment, windowFlags));
        // KCL 3 assigns leases by worker utilization; off AWS there is none, so one worker may hold both
        // shards. Either way the victim is a worker that is processing a shard, the survivor takes it over.
        Map<String, String> owners = workers.awaitEveryShardOwned(dynamo, 2, Duration.ofSeconds(90));
        long leasesTaken = System.nanoTime();
        String victimShard = "shardId-000000000000";
        String victim = owners.get(victimShard);
        String survivor = victim.equals("worker-a") ? "worker-b" : "worker-a";
        // The victim dies mid-stream: after it has written and checkpointed some windows, while more records
        // arrive, with windows open and writes possibly in flight.
        String firstCheckpoint = awaitCheckpointMoved(dynamo, victimShard, Duration.ofSeconds(30));
        CompletableFuture<Void> feed = CompletableFuture.runAsync(() -> putSlowly(kinesis, stream, secondPart, 8, 250));
        Thread.sleep(1_000);
        Process killed = byId.get(victim);
        killed.destroyForcibly(); // SIGKILL: no shutdownRequested, no final checkpoint
        killed.waitFor(10, TimeUnit.SECONDS);
        feed.join();
        Thread.sleep(2_000);
        put(kinesis, stream, late); // behind the watermark by now: corrections

        // Both outputs converge on the expected totals; the last reads are compared below, with the differences.
        AtomicReference<Map<String, MetricAggregate>> dynamoRead = new AtomicReference<>(Map.of());
        AtomicReference<Map<String, MetricAggregate>> lakeRead = new AtomicReference<>(Map.of());
        try {
            Awaitility.await()
                    .atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> {
                        dynamoRead.set(readDynamo(cloud, env.get("AGGREGATES_TABLE"), run));
                        lakeRead.set(lakeTotalsIfReadable(cloud, env.get("LAKE_BUCKET"), run, lakeRead.get()));
                        return sameTotals(expected, dynamoRead.get()) && sameTotals(expected, lakeRead.get());
                    });
        } catch (ConditionTimeoutException notConverged) {
            // The assertions below say what differs.
        }
        Map<String, MetricAggregate> fromDynamo = dynamoRead.get();
        Map<String, MetricAggregate> fromLake = lakeRead.get();
        System.out.printf(
                "ExactlyOnceFailoverIT: leases taken after %.1f s (%s); %s killed after its checkpoint on %s reached %s;"
                        + " results checked %.1f s after the leases were taken%n",
                (leasesTaken - started) / 1e9,
                owners,
                victim,
                victimShard,
                firstCheckpoint,
                (System.nanoTime() - leasesTaken) / 1e9);
        assertThat(byId.get(survivor).isAlive()).as(survivor + " still running").isTrue();
        assertThat(workers.leaseOwners(dynamo).values())
                .as("lease owners at the end (" + victim + " was killed)")
                .containsOnly(survivor);
        assertThat(describe(fromDynamo)).isEqualTo(describe(expected));
        assertThat(describe(fromLake)).isEqualTo(describe(expected));
    }

    private static boolean sameTotals(Map<String, MetricAggregate> expected, Map<String, MetricAggregate> actual) {
        return describe(expected).equals(describe(actual));
    }

    /** Count, sum (rounded), min, max, first and last of every (device, metric, window), in key order. */
    private static Map<String, String> describe(Map<String, MetricAggregate> aggregates) {
        Map<String, String> out = new TreeMap<>();
        aggregates.forEach((k, a) -> out.put(
                k,
                a.count() + " sum=" + String.format("%.6f", a.sum()) + " min=" + a.min() + " max=" + a.max() + " first="
                        + a.firstValue() + "@" + a.firstTs() + " last=" + a.lastValue() + "@" + a.lastTs()));
        return out;
    }

    @SafeVarargs
    private static Map<String, MetricAggregate> expectedAggregates(List<TelemetryMessage>... parts) {
        WindowAggregator aggregator = new WindowAggregator(List.of(ONE_MINUTE));
        for (List<TelemetryMessage> part : parts) {
            part.forEach(aggregator::fold);
        }
        Map<String, MetricAggregate> out = new TreeMap<>();
        for (WindowAggregate w : aggregator.drainAll()) {
            w.metrics()
                    .forEach((metric, a) -> out.put(
                            w.key().deviceId() + "|" + metric + "|" + w.key().windowStart(), a));
        }
        return out;
    }

    private static Map<String, MetricAggregate> readDynamo(LocalCloud cloud, String table, String run) {
        Map<String, MetricAggregate> out = new TreeMap<>();
        cloud
                .dynamoDbEnhanced()
                .table(table, TableSchema.fromBean(AggregateItem.class))
                .scan(b -> b.consistentRead(true))
                .items()
                .stream()
                .filter(item -> item.getPk().startsWith(run))
                .forEach(item -> {
                    for (Map.Entry<String, MetricState> m : item.getMetrics().entrySet()) {
                        out.put(
                                item.getDeviceId() + "|" + m.getKey() + "|" + item.getWindowStart(),
                                m.getValue().toAggregate());
                    }
                });
        return out;
    }

    /** Waits until the shard's checkpoint is a sequence number (the owner has made some windows durable); returns it. */
    private String awaitCheckpointMoved(DynamoDbClient dynamo, String shard, Duration timeout)
            throws InterruptedException {
        return Awaitility.await("the checkpoint of " + shard + " moves (see target/it-workers/*.log)")
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(100))
                .until(
                        () -> workers.checkpoint(dynamo, shard),
                        checkpoint -> checkpoint != null && checkpoint.chars().allMatch(Character::isDigit));
    }

    /** The lake totals, or {@code previous} while an object is being replaced and cannot be read yet. */
    private static Map<String, MetricAggregate> lakeTotalsIfReadable(
            LocalCloud cloud, String bucket, String run, Map<String, MetricAggregate> previous) throws Exception {
        try {
            return lakeTotals(cloud, bucket, run);
        } catch (SQLException e) {
            return previous;
        }
    }

    /** The lake as Athena sees it: GROUP BY over all Parquet objects, read from S3Proxy's folder. */
    private static Map<String, MetricAggregate> lakeTotals(LocalCloud cloud, String bucket, String run)
            throws Exception {
        Path folder = cloud.bucketFolder(bucket).resolve("aggregates");
        Map<String, MetricAggregate> out = new TreeMap<>();
        if (!Files.exists(folder)) {
            return out;
        }
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("""
                     SELECT device_id, metric, window_start_ms, sum(sample_count), sum(sum_value), min(min_value), max(max_value),
                            arg_min(first_value, first_ts_ms), min(first_ts_ms), arg_max(last_value, last_ts_ms), max(last_ts_ms)
                     FROM read_parquet('%s/**/*.parquet', hive_partitioning = true, hive_types = {'dt': DATE, 'hour': INTEGER})
                     WHERE resolution = '1m' AND device_id LIKE '%s-%%'
                     GROUP BY device_id, metric, window_start_ms
                     """.formatted(folder.toAbsolutePath(), run))) {
            while (rs.next()) {
                MetricAggregate a = MetricAggregate.restore(
                        rs.getLong(4),
                        rs.getDouble(5),
                        rs.getDouble(6),
                        rs.getDouble(7),
                        rs.getLong(9),
                        0,
                        0,
                        rs.getDouble(8),
                        rs.getLong(11),
                        0,
                        0,
                        rs.getDouble(10),
                        new io.github.iottelemetry.core.aggregate.SeqSet());
                out.put(rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getLong(3), a);
            }
        }
        return out;
    }

    /** Puts {@code messages} in {@code chunks} parts, {@code pauseMillis} apart: records keep arriving for a while. */
    private static void putSlowly(
            KinesisClient kinesis, String stream, List<TelemetryMessage> messages, int chunks, long pauseMillis) {
        int size = (messages.size() + chunks - 1) / chunks;
        for (int i = 0; i < messages.size(); i += size) {
            put(kinesis, stream, messages.subList(i, Math.min(messages.size(), i + size)));
            try {
                Thread.sleep(pauseMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while feeding the stream", e);
            }
        }
    }

    private static void put(KinesisClient kinesis, String stream, List<TelemetryMessage> messages) {
        for (int i = 0; i < messages.size(); i += 250) {
            List<PutRecordsRequestEntry> entries = new ArrayList<>();
            for (TelemetryMessage m : messages.subList(i, Math.min(messages.size(), i + 250))) {
                entries.add(PutRecordsRequestEntry.builder()
                        .partitionKey(m.deviceId())
                        .data(SdkBytes.fromByteArray(TelemetryCodec.encode(m)))
                        .build());
            }
            var response = kinesis.putRecords(b -> b.streamName(stream).records(entries));
            assertThat(response.failedRecordCount()).as("PutRecords failures").isZero();
        }
    }
}
