package io.github.iottelemetry.processor.bench;

import io.github.iottelemetry.core.payload.Reading;
import io.github.iottelemetry.core.payload.TelemetryCodec;
import io.github.iottelemetry.core.payload.TelemetryMessage;
import io.github.iottelemetry.core.window.Resolution;
import io.github.iottelemetry.localcloud.LocalCloud;
import io.github.iottelemetry.localcloud.LocalCloudOptions;
import io.github.iottelemetry.localcloud.StateFolder;
import io.github.iottelemetry.localcloud.kinesis.KinesisEngine;
import io.github.iottelemetry.processor.LocalWorkers;
import io.github.iottelemetry.processor.output.dynamodb.AggregateItem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

/**
 * End to end on the local cloud (kinesalite, dynalite, S3Proxy; stream-processor workers as their own
 * JVMs), for 1 and 2 workers on a 2-shard stream:
 * <ul>
 *   <li>throughput: a backlog of records (10 readings, 3 metrics each) put before the workers start; records/s
 *       from the moment every lease is owned until every shard's checkpoint has reached the last record (all
 *       windows durable in DynamoDB and the lake; includes the idle close of the last windows);</li>
 *   <li>lag: live records at a steady rate with {@code ingestTs} = put time; per message, the time from
 *       ingestTs to the DynamoDB write of its 1m window aggregate (item {@code updatedAt}; the lake write
 *       follows in the same step), for windows closed by the watermark. For 1m windows this is dominated by
 *       the window itself plus the allowed lateness, so the close delay (write time minus window end minus
 *       allowed lateness) is printed too.</li>
 * </ul>
 * Run: {@code ./mvnw -q -pl stream-processor -am -Pbench-local verify -DskipTests}.
 */
public final class LocalPipelineBenchmark {
    private static final Resolution ONE_MINUTE = Resolution.parse("1m");
    private static final int SHARDS = 2;
    private static final int DEVICES = 500;
    private static final int READINGS = 10;
    private static final long LATENESS_SECONDS = 5;
    private static final long IDLE_SECONDS = 2;

    public static void main(String[] args) throws Exception {
        int backlogRecords = args.length > 0 ? Integer.parseInt(args[0]) : 60_000;
        int liveRate = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
        int liveSeconds = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        Path template = Path.of(System.getProperty("localcloud.template", "../template.yaml"))
                .toAbsolutePath()
                .normalize();
        Path state = Files.createTempDirectory("local-pipeline-bench-");
        // -Dbench.dynamodb=memory: the DynamoDB engine without its LevelDB folder.
        boolean inMemory = "memory".equals(System.getProperty("bench.dynamodb", "file"));
        LocalCloudOptions options = LocalCloudOptions.defaults(template.getParent())
                .withStateDirectory(state, true)
                .withKinesisEngine(KinesisEngine.KINESALITE)
                .withTemplate(Optional.of(template), Map.of())
                .withDynamoDbInMemory(inMemory)
                .withFreePorts();
        try (LocalCloud cloud = LocalCloud.start(options)) {
            System.out.printf(
                    "local cloud up (%s); DynamoDB (dynalite) %s; %d devices, %d readings x 3 metrics per record, %d shards%n",
                    cloud.startupTimes(), inMemory ? "in memory" : "on its folder", DEVICES, READINGS, SHARDS);
            for (int workers = 1; workers <= 2; workers++) {
                run(cloud, workers, backlogRecords, liveRate, liveSeconds);
            }
        } finally {
            StateFolder.deleteRecursively(state);
        }
    }

    private static void run(LocalCloud cloud, int workerCount, int backlogRecords, int liveRate, int liveSeconds)
            throws Exception {
        String run = "bench" + workerCount + "w" + Long.toString(System.nanoTime() % 1_000_000L, 36);
        KinesisClient kinesis = cloud.kinesis();
        DynamoDbClient dynamo = cloud.dynamoDb();
        Map<String, String> extra = Map.of("ALLOWED_LATENESS_SECONDS", Long.toString(LATENESS_SECONDS));
        try (LocalWorkers workers = new LocalWorkers(
                cloud.environment(), kinesis, dynamo, run, SHARDS, Path.of("target", "bench-workers", run))) {
            Feed feed = new Feed(kinesis, workers.stream(), run);
            long eventStart = ONE_MINUTE.windowStart(System.currentTimeMillis()) - 30 * 60_000L;
            for (int i = 0; i < backlogRecords; i += 500) {
                feed.putBatch(Math.min(500, backlogRecords - i), eventStart, false);
            }
            for (int w = 1; w <= workerCount; w++) {
                workers.start("worker-" + w, extra, "--idle-timeout-seconds", Long.toString(IDLE_SECONDS));
            }
            Map<String, String> owners = workers.awaitEveryShardOwned(dynamo, SHARDS, Duration.ofSeconds(120));
            long drainStart = System.nanoTime();
            awaitCheckpoints(workers, dynamo, feed.lastSequenceByShard, Duration.ofSeconds(600));
            double drainSeconds = (System.nanoTime() - drainStart) / 1e9;
            System.out.printf(
                    "%d worker(s), leases %s: backlog of %,d records (%,d readings) durable in %.1f s: %,.0f records/s,"
                            + " %,.0f readings/s%n",
                    workerCount,
                    owners,
                    backlogRecords,
                    (long) backlogRecords * READINGS,
                    drainSeconds,
                    backlogRecords / drainSeconds,
                    backlogRecords * READINGS / drainSeconds);

            // Live traffic: event time = now, ingestTs = put time.
            feed.clearTimes();
            long liveStart = System.currentTimeMillis();
            long perBatchNanos = (long) (500 * 1e9 / liveRate);
            long next = System.nanoTime();
            long sent = 0;
            while (System.currentTimeMillis() - liveStart < liveSeconds * 1000L) {
                feed.putBatch(500, 0, true);
                sent += 500;
                next += perBatchNanos;
                long sleep = next - System.nanoTime();
                if (sleep > 0) {
                    Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                }
            }
            double putSeconds = (System.currentTimeMillis() - liveStart) / 1e3;
            long lastEventTs = System.currentTimeMillis();
            awaitCheckpoints(workers, dynamo, feed.lastSequenceByShard, Duration.ofSeconds(600));
            printLag(cloud, workerCount, feed, lastEventTs, sent / putSeconds);
        }
    }

    private static void printLag(LocalCloud cloud, int workerCount, Feed feed, long lastEventTs, double rate) {
        long latenessMs = LATENESS_SECONDS * 1000;
        Map<String, Long> writtenAt = new HashMap<>();
        cloud
                .dynamoDbEnhanced()
                .table(cloud.environment().get("AGGREGATES_TABLE"), TableSchema.fromBean(AggregateItem.class))
                .scan(b -> b.consistentRead(true))
                .items()
                .stream()
                .filter(item -> item.getPk().startsWith(feed.run + "-"))
                .forEach(item -> writtenAt.put(item.getDeviceId() + "|" + item.getWindowStart(), item.getUpdatedAt()));
        List<Long> lags = new ArrayList<>();
        Map<Long, Long> closeDelayByWindow = new TreeMap<>();
        for (SentMessage m : feed.sent) {
            long windowStart = ONE_MINUTE.windowStart(m.lastTs());
            long windowEnd = windowStart + 60_000;
            if (windowEnd + latenessMs > lastEventTs) {
                continue; // closed by the idle timeout after the traffic stopped, not by the watermark
            }
            Long written = writtenAt.get(m.deviceId() + "|" + windowStart);
            Long firstWritten = writtenAt.get(m.deviceId() + "|" + ONE_MINUTE.windowStart(m.firstTs()));
            if (written == null || firstWritten == null) {
                throw new IllegalStateException("no aggregate for " + m + " in DynamoDB");
            }
            lags.add(Math.max(written, firstWritten) - m.ingestTs());
            closeDelayByWindow.merge(windowStart, written - windowEnd - latenessMs, Math::max);
        }
        long[] sorted = lags.stream().mapToLong(Long::longValue).sorted().toArray();
        long[] delays = closeDelayByWindow.values().stream()
                .mapToLong(Long::longValue)
                .sorted()
                .toArray();
        System.out.printf(
                "%d worker(s), live %,.0f records/s: ingestTs -> 1m aggregate durable p50 %.1f s, p99 %.1f s"
                        + " (%,d messages in %d watermark-closed windows; allowed lateness %d s);"
                        + " window close delay (write - window end - lateness), worst device per window: %s ms%n",
                workerCount,
                rate,
                percentile(sorted, 50) / 1e3,
                percentile(sorted, 99) / 1e3,
                sorted.length,
                closeDelayByWindow.size(),
                LATENESS_SECONDS,
                Arrays.toString(delays));
    }

    private static long percentile(long[] sorted, int p) {
        if (sorted.length == 0) {
            return -1;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    private static void awaitCheckpoints(
            LocalWorkers workers, DynamoDbClient dynamo, Map<String, String> lastByShard, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            boolean all = true;
            for (Map.Entry<String, String> e : lastByShard.entrySet()) {
                String checkpoint = workers.checkpoint(dynamo, e.getKey());
                if (checkpoint == null
                        || !checkpoint.chars().allMatch(Character::isDigit)
                        || new java.math.BigInteger(checkpoint).compareTo(new java.math.BigInteger(e.getValue())) < 0) {
                    all = false;
                    break;
                }
            }
            if (all) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("checkpoints did not reach " + lastByShard + " within " + timeout);
    }

    private record SentMessage(String deviceId, long seq, long firstTs, long lastTs, long ingestTs) {}

    /** Generated records: DEVICES devices in turn, per device seq 1, 2, ...; remembers the last sequence per shard. */
    private static final class Feed {
        final KinesisClient kinesis;
        final String stream;
        final String run;
        final long[] seqs = new long[DEVICES];
        final Map<String, String> lastSequenceByShard = new TreeMap<>();
        final List<SentMessage> sent = new ArrayList<>();
        int nextDevice;

        Feed(KinesisClient kinesis, String stream, String run) {
            this.kinesis = kinesis;
            this.stream = stream;
            this.run = run;
        }

        void clearTimes() {
            sent.clear();
        }

        /** Backlog records are 10 s of event time apart per device from {@code eventStart}; live ones are "now". */
        void putBatch(int count, long eventStart, boolean live) {
            List<PutRecordsRequestEntry> entries = new ArrayList<>(count);
            long now = System.currentTimeMillis();
            List<SentMessage> batch = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                int d = nextDevice;
                nextDevice = (nextDevice + 1) % DEVICES;
                String device = run + "-d" + d;
                long seq = ++seqs[d];
                long lastTs = live ? now : eventStart + seq * 10_000L;
                List<Reading> readings = new ArrayList<>(READINGS);
                for (int r = 0; r < READINGS; r++) {
                    readings.add(Reading.of(
                            lastTs - (READINGS - 1 - r) * 100L,
                            Map.of(
                                    "temperature",
                                    20 + (seq + r) % 100 / 10.0,
                                    "humidity",
                                    40 + d % 50 / 10.0,
                                    "battery",
                                    3.7)));
                }
                TelemetryMessage message = TelemetryMessage.fromDevice(device, seq, lastTs, readings)
                        .withIngest(device, now);
                entries.add(PutRecordsRequestEntry.builder()
                        .partitionKey(device)
                        .data(SdkBytes.fromByteArray(TelemetryCodec.encode(message)))
                        .build());
                batch.add(new SentMessage(device, seq, lastTs - (READINGS - 1) * 100L, lastTs, now));
            }
            var response = kinesis.putRecords(b -> b.streamName(stream).records(entries));
            if (response.failedRecordCount() > 0) {
                throw new IllegalStateException(
                        response.failedRecordCount() + " of " + count + " records were refused");
            }
            for (PutRecordsResultEntry r : response.records()) {
                lastSequenceByShard.merge(
                        r.shardId(),
                        r.sequenceNumber(),
                        (a, b) -> new java.math.BigInteger(a).compareTo(new java.math.BigInteger(b)) >= 0 ? a : b);
            }
            if (live) {
                sent.addAll(batch);
            }
        }
    }
}
