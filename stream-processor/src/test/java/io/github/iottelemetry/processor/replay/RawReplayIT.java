package io.github.iottelemetry.processor.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.iottelemetry.core.lake.LakeLayout;
import io.github.iottelemetry.core.payload.Reading;
import io.github.iottelemetry.core.payload.TelemetryCodec;
import io.github.iottelemetry.core.payload.TelemetryMessage;
import io.github.iottelemetry.localcloud.LocalCloud;
import io.github.iottelemetry.localcloud.LocalCloudExtension;
import io.github.iottelemetry.processor.LocalWorkers;
import io.github.iottelemetry.processor.output.dynamodb.AggregateItem;
import io.github.iottelemetry.processor.output.dynamodb.MetricState;
import io.github.iottelemetry.processor.replay.LambdaRawFormat.KinesisRecord;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * {@code processor replay} on the real local engines (S3Proxy, dynalite, kinesalite), run as its own JVM:
 * the DynamoDB aggregates and a DuckDB {@code GROUP BY} over the Parquet lake must equal aggregates computed by
 * hand from the archived input, a second replay must change nothing, and a replay after an outage of the live
 * processor must fill exactly the windows it missed.
 */
@ExtendWith(LocalCloudExtension.class)
class RawReplayIT {
    private static final long MINUTE = 60_000L;
    private static final long HOUR = 3_600_000L;
    private static final Map<String, Long> ONE_MINUTE = Map.of("1m", MINUTE);
    private static final Map<String, Long> MINUTE_AND_HOUR = Map.of("1m", MINUTE, "1h", HOUR);
    private static final String SHARD_0 = "shardId-000000000000";
    private static final String SHARD_1 = "shardId-000000000001";
    /** Kinesis sequence numbers have 56 digits: far beyond a long. */
    private static final BigInteger SEQ_BASE =
            new BigInteger("49658979253716463412475036544081152655478612436123123712");

    private static final Path LOGS = Path.of("target", "it-replay");

    private LocalWorkers workers;

    @AfterEach
    void stopWorkers() throws InterruptedException {
        if (workers != null) {
            workers.close();
        }
    }

    @Test
    void replayIntoAnEmptyTableIsExactAndASecondReplayChangesNothing(LocalCloud cloud) throws Exception {
        String run = runId();
        Outputs outputs = Outputs.fresh(cloud, run);
        long h0 = Math.floorDiv(System.currentTimeMillis(), HOUR) * HOUR - 3 * HOUR;
        long rangeEnd = h0 + 2 * HOUR; // replay hours h0 and h0 + 1; the archive also has h0 + 2

        // 12 devices on 2 shards, 45 messages each, ingested every 160 s from h0 + 5 min (the last ones in h0 + 2);
        // every 9th message carries readings 40 minutes old (corrections of long-closed windows); every 10th is
        // resent 45 s later as a new Kinesis record (an MQTT redelivery: a duplicate).
        List<TelemetryMessage> replayable = new ArrayList<>();
        Map<String, List<TelemetryMessage>> arrivalsByShard = new TreeMap<>();
        int resendsInRange = 0;
        for (int d = 0; d < 12; d++) {
            String device = run + "-dev-" + d;
            String shard = d % 2 == 0 ? SHARD_0 : SHARD_1;
            for (int seq = 1; seq <= 45; seq++) {
                long ingest = h0 + 5 * MINUTE + seq * 160_000L + d * 1_000L;
                long firstReading = seq % 9 == 0 ? ingest - 40 * MINUTE : ingest - 30_000L;
                TelemetryMessage m = message(device, d, seq, firstReading, 4, 5_000L, ingest);
                arrivalsByShard.computeIfAbsent(shard, s -> new ArrayList<>()).add(m);
                if (ingest < rangeEnd) {
                    replayable.add(m);
                }
                if (seq % 10 == 3) {
                    TelemetryMessage resent = m.withIngest(device, ingest + 45_000L);
                    arrivalsByShard.get(shard).add(resent);
                    resendsInRange += ingest + 45_000L < rangeEnd ? 1 : 0;
                }
            }
        }
        // Per shard in arrival order with increasing sequence numbers, archived in Lambda batches of 25.
        int recordsInRange = 0;
        List<KinesisRecord> shard1Records = List.of();
        for (Map.Entry<String, List<TelemetryMessage>> e : arrivalsByShard.entrySet()) {
            List<TelemetryMessage> arrivals = new ArrayList<>(e.getValue());
            arrivals.sort(Comparator.comparingLong(TelemetryMessage::ingestTs));
            List<KinesisRecord> records = new ArrayList<>();
            for (int i = 0; i < arrivals.size(); i++) {
                TelemetryMessage m = arrivals.get(i);
                records.add(new KinesisRecord(
                        e.getKey(),
                        SEQ_BASE.add(BigInteger.valueOf((i + 1) * 1_000L)),
                        m.ingestTs() + 200,
                        TelemetryCodec.encode(m)));
                recordsInRange += m.ingestTs() < rangeEnd ? 1 : 0;
            }
            for (int i = 0; i < records.size(); i += 25) {
                LambdaRawFormat.putBatch(
                        cloud.s3(), outputs.bucket(), records.subList(i, Math.min(records.size(), i + 25)));
            }
            if (e.getKey().equals(SHARD_1)) {
                shard1Records = records;
            }
        }
        // A retried batch cut differently archived 10 records a second time, under another key.
        LambdaRawFormat.putBatch(cloud.s3(), outputs.bucket(), shard1Records.subList(30, 40));
        // An object with a line that is not JSON and a line without kinesisShardId between good lines, and an
        // object that is not gzip: reported, counted, and the rest is replayed.
        String device0 = run + "-dev-0";
        List<KinesisRecord> extra = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            long ingest = h0 + 2 * MINUTE + k * 10_000L;
            extra.add(new KinesisRecord(
                    SHARD_0,
                    SEQ_BASE.add(BigInteger.valueOf(k + 1)),
                    ingest + 200,
                    TelemetryCodec.encode(message(device0, 0, 100 + k, ingest - 30_000L, 4, 5_000L, ingest))));
        }
        String missingShard = new String(LambdaRawFormat.line(extra.get(1)), StandardCharsets.UTF_8)
                .replace("\"kinesisShardId\":\"" + SHARD_0 + "\",", "");
        String badKey =
                LakeLayout.rawKey(h0, SHARD_0, extra.get(0).sequenceNumber().toString());
        LambdaRawFormat.put(
                cloud.s3(),
                outputs.bucket(),
                badKey,
                LambdaRawFormat.gzip(List.of(
                        LambdaRawFormat.line(extra.get(0)),
                        "this is not json\n".getBytes(StandardCharsets.UTF_8),
                        missingShard.getBytes(StandardCharsets.UTF_8),
                        LambdaRawFormat.line(extra.get(2)))));
        replayable.add(extra.get(0).message());
        replayable.add(extra.get(2).message());
        String notGzipKey = LakeLayout.rawKey(
                h0, SHARD_1, SEQ_BASE.add(BigInteger.valueOf(5)).toString());
        LambdaRawFormat.put(cloud.s3(), outputs.bucket(), notGzipKey, "not gzip".getBytes(StandardCharsets.UTF_8));
        Map<String, String> expected = HandAggregates.of(replayable, MINUTE_AND_HOUR);
        String[] range = {
            "--from",
            HourRange.format(Instant.ofEpochMilli(h0)),
            "--to",
            HourRange.format(Instant.ofEpochMilli(h0 + HOUR)),
            "--resolutions",
            "1m,1h"
        };

        ReplayRun dry = ReplayRun.run(outputs.environment(cloud), LOGS, run + "-dry-run", concat(range, "--dry-run"));
        assertThat(dry.exitCode()).as(dry.stderr()).isEqualTo(3);
        assertThat(dry.number("windowsFolded")).isPositive();
        assertThat(dry.number("windowsWritten")).isZero();
        assertThat(outputs.dynamo(cloud)).as("DynamoDB after a dry run").isEmpty();
        assertThat(outputs.lakeObjects(cloud))
                .as("lake objects after a dry run")
                .isEmpty();

        ReplayRun first = ReplayRun.run(outputs.environment(cloud), LOGS, run + "-first", range);
        assertThat(first.exitCode())
                .as("exit status with unreadable input; stderr:%n%s", first.stderr())
                .isEqualTo(3);
        assertThat(first.stderr())
                .contains(
                        badKey + " line 2: ",
                        "[NOT_JSON]",
                        badKey + " line 3: no kinesisShardId",
                        notGzipKey + ": not readable as gzip");
        assertThat(first.number("rawProblems")).isEqualTo(3);
        assertThat(first.skipped("NOT_JSON")).isEqualTo(1);
        assertThat(first.skipped("MISSING_KINESIS_FIELD")).isEqualTo(1);
        assertThat(first.skipped("UNREADABLE_OBJECT")).isEqualTo(1);
        assertThat(first.skipped(ReplaySummary.ARCHIVED_TWICE)).isEqualTo(10);
        assertThat(first.skipped(ReplaySummary.DUPLICATE)).isEqualTo(resendsInRange);
        assertThat(first.number("records")).isEqualTo(recordsInRange + 2);
        assertThat(first.number("valid")).isEqualTo(recordsInRange + 2);
        assertThat(first.number("lines")).isEqualTo(recordsInRange + 2 + 2 + 10);
        assertThat(first.number("windowsWritten"))
                .isEqualTo(dry.number("windowsFolded"))
                .isGreaterThanOrEqualTo(itemIds(expected.keySet()).size());
        assertThat(first.number("dynamoItemsUpToDate")).isZero();
        assertThat(first.number("dynamoItemsChanged")).isEqualTo(first.number("windowsWritten"));
        assertSameAggregates("DynamoDB", outputs.dynamo(cloud), expected);
        assertSameAggregates("lake (GROUP BY over the Parquet objects)", outputs.lake(cloud), expected);
        Set<String> lakeObjects = outputs.lakeObjects(cloud);
        assertThat(first.number("lakeObjectsWritten")).isEqualTo(lakeObjects.size());
        assertThat(lakeObjects)
                .as("lake objects are named by window start and device bucket, never by shard")
                .allMatch(k -> Path.of(k).getFileName().toString().matches("[0-9]+-[0-9a-f]\\.parquet"));
        Map<String, Long> versions = outputs.versions(cloud);

        ReplayRun second = ReplayRun.run(outputs.environment(cloud), LOGS, run + "-second", range);
        assertThat(second.exitCode()).isEqualTo(3);
        assertThat(second.number("dynamoItemsChanged"))
                .as("items changed by the second replay")
                .isZero();
        assertThat(second.number("dynamoItemsUpToDate")).isEqualTo(first.number("windowsWritten"));
        assertThat(outputs.versions(cloud))
                .as("item versions after the second replay")
                .isEqualTo(versions);
        assertSameAggregates("DynamoDB", outputs.dynamo(cloud), expected);
        assertSameAggregates("lake (GROUP BY over the Parquet objects)", outputs.lake(cloud), expected);
        assertThat(outputs.lakeObjects(cloud)).isEqualTo(lakeObjects);
    }

    @Test
    void replayAfterAnOutageFillsExactlyTheWindowsTheLiveProcessorMissed(LocalCloud cloud) throws Exception {
        String run = runId();
        Outputs outputs = Outputs.fresh(cloud, run);
        KinesisClient kinesis = cloud.kinesis();
        DynamoDbClient dynamo = cloud.dynamoDb();
        workers = new LocalWorkers(cloud.environment(), kinesis, dynamo, run, 2, LOGS.resolve(run));
        String stream = workers.stream();
        long h0 = Math.floorDiv(System.currentTimeMillis(), HOUR) * HOUR - 2 * HOUR;

        // 8 devices, 30 messages each, one every 40 s from h0 + 50 min (so across two ingest hours), 10 readings
        // over 50 s each: many minute windows hold messages of both parts.
        List<TelemetryMessage> beforeOutage = new ArrayList<>();
        List<TelemetryMessage> duringOutage = new ArrayList<>();
        for (int d = 0; d < 8; d++) {
            for (int seq = 1; seq <= 30; seq++) {
                long ingest = h0 + 50 * MINUTE + seq * 40_000L + d * 700L;
                TelemetryMessage m = message(run + "-dev-" + d, d, seq, ingest - 50_000L, 10, 5_000L, ingest);
                (seq <= 18 ? beforeOutage : duringOutage).add(m);
            }
        }
        beforeOutage.sort(Comparator.comparingLong(TelemetryMessage::ingestTs));
        duringOutage.sort(Comparator.comparingLong(TelemetryMessage::ingestTs));

        // The live processor aggregates the first part (1m windows), then stops; the second part arrives during
        // the outage; the table is then restored from a backup that lacks one device's items.
        put(kinesis, stream, beforeOutage);
        workers.start(
                "live",
                Map.of(
                        "AGGREGATES_TABLE",
                        outputs.table(),
                        "LAKE_BUCKET",
                        outputs.bucket(),
                        "ALLOWED_LATENESS_SECONDS",
                        "5"),
                "--idle-timeout-seconds",
                "3",
                "--max-open-seconds",
                "8");
        Map<String, String> liveExpected = HandAggregates.of(beforeOutage, ONE_MINUTE);
        awaitOutputs(cloud, outputs, liveExpected, Duration.ofSeconds(150));
        workers.close();
        workers = null;
        Set<String> liveLakeObjects = outputs.lakeObjects(cloud);
        String lostDevice = run + "-dev-3";
        int lost = outputs.deleteItems(cloud, lostDevice + "#1m");
        assertThat(lost).as("items of " + lostDevice + " deleted").isPositive();
        put(kinesis, stream, duringOutage);

        // The ingest Lambda archived every record, in batches of 20 per shard, with the stream's own metadata.
        List<KinesisRecord> archived = readStream(kinesis, stream);
        assertThat(archived).hasSize(beforeOutage.size() + duringOutage.size());
        Map<String, List<KinesisRecord>> byShard = archived.stream()
                .collect(Collectors.groupingBy(KinesisRecord::shardId, TreeMap::new, Collectors.toList()));
        byShard.values().forEach(records -> {
            for (int i = 0; i < records.size(); i += 20) {
                LambdaRawFormat.putBatch(
                        cloud.s3(), outputs.bucket(), records.subList(i, Math.min(records.size(), i + 20)));
            }
        });
        Map<String, String> before = outputs.dynamo(cloud);
        Map<String, Long> versionsBefore = outputs.versions(cloud);

        List<TelemetryMessage> all =
                Stream.concat(beforeOutage.stream(), duringOutage.stream()).toList();
        Map<String, String> expected = HandAggregates.of(all, MINUTE_AND_HOUR);
        ReplayRun replay = ReplayRun.run(
                outputs.environment(cloud),
                LOGS,
                run + "-replay",
                "--from",
                HourRange.format(Instant.ofEpochMilli(h0)),
                "--to",
                HourRange.format(Instant.ofEpochMilli(h0 + HOUR)),
                "--resolutions",
                "1m,1h");
        assertThat(replay.exitCode()).as(replay.stderr()).isZero();
        assertThat(replay.number("records")).isEqualTo(archived.size());
        assertThat(replay.summary().get("shards").size()).isEqualTo(byShard.size());
        assertSameAggregates("DynamoDB", outputs.dynamo(cloud), expected);
        // The lake as Athena sees it: had the replay written under other keys than the live processor, the
        // GROUP BY would count the first part twice.
        assertSameAggregates("lake (GROUP BY over the Parquet objects)", outputs.lake(cloud), expected);
        assertThat(outputs.lakeObjects(cloud)).containsAll(liveLakeObjects);

        // Exactly the missing windows changed: an item the live processor had complete keeps its version.
        Map<String, Long> versionsAfter = outputs.versions(cloud);
        Set<String> complete = new TreeSet<>();
        Set<String> incomplete = new TreeSet<>();
        for (String item : itemIds(expected.keySet())) {
            (metricsOf(before, item).equals(metricsOf(expected, item)) ? complete : incomplete).add(item);
        }
        assertThat(complete).as("windows the live processor wrote in full").isNotEmpty();
        assertThat(incomplete).as("windows missing or partial after the outage").isNotEmpty();
        for (String item : complete) {
            assertThat(versionsAfter.get(item))
                    .as("version of " + item + ", complete before the replay")
                    .isEqualTo(versionsBefore.get(item));
        }
        for (String item : incomplete) {
            assertThat(versionsAfter.get(item))
                    .as("version of " + item + ", missing or partial before the replay")
                    .isNotNull()
                    .isNotEqualTo(versionsBefore.get(item));
        }
        assertThat(replay.number("dynamoItemsUpToDate")).isGreaterThanOrEqualTo(complete.size());
        assertThat(replay.number("dynamoItemsChanged")).isGreaterThanOrEqualTo(incomplete.size());
    }

    /** Fails with the windows that differ (at most 20 of each kind), not with two whole maps. */
    private static void assertSameAggregates(String what, Map<String, String> actual, Map<String, String> expected) {
        if (actual.equals(expected)) {
            return;
        }
        List<String> missing = new ArrayList<>();
        List<String> extra = new ArrayList<>();
        List<String> different = new ArrayList<>();
        expected.forEach((k, v) -> {
            if (!actual.containsKey(k)) {
                missing.add(k + " = " + v);
            } else if (!actual.get(k).equals(v)) {
                different.add(k + ": expected " + v + ", found " + actual.get(k));
            }
        });
        actual.keySet().stream()
                .filter(k -> !expected.containsKey(k))
                .forEach(k -> extra.add(k + " = " + actual.get(k)));
        throw new AssertionError(
                what + ": " + expected.size() + " metric windows expected, " + actual.size() + " found; "
                        + missing.size() + " missing, " + extra.size() + " extra, " + different.size() + " different"
                        + listed("missing", missing) + listed("extra", extra) + listed("different", different));
    }

    private static String listed(String label, List<String> lines) {
        return lines.isEmpty()
                ? ""
                : "\n" + label + ":\n  " + String.join("\n  ", lines.subList(0, Math.min(20, lines.size())));
    }

    private static String runId() {
        return "rp" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
    }

    /** A message of {@code readings} readings {@code step} ms apart from {@code firstReading}; values are multiples of 1/8. */
    private static TelemetryMessage message(
            String device, int d, long seq, long firstReading, int readings, long step, long ingest) {
        List<Reading> list = new ArrayList<>();
        for (int i = 0; i < readings; i++) {
            list.add(Reading.of(
                    firstReading + i * step,
                    Map.of(
                            "temperature", 20 + ((seq * 7 + i * 3 + d) % 40) * 0.25,
                            "battery", 3 + ((seq + i) % 8) * 0.125)));
        }
        return TelemetryMessage.fromDevice(device, seq, ingest - 1_000L, list).withIngest(device, ingest);
    }

    private static String[] concat(String[] a, String... b) {
        return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
    }

    /** {@code resolution|device|windowStart} of {@code resolution|device|metric|windowStart} keys. */
    private static Set<String> itemIds(Set<String> keys) {
        return keys.stream().map(RawReplayIT::itemOf).collect(Collectors.toCollection(TreeSet::new));
    }

    private static String itemOf(String key) {
        String[] p = key.split("\\|");
        return p[0] + "|" + p[1] + "|" + p[3];
    }

    private static Map<String, String> metricsOf(Map<String, String> aggregates, String item) {
        Map<String, String> out = new TreeMap<>();
        aggregates.forEach((k, v) -> {
            if (itemOf(k).equals(item)) {
                out.put(k, v);
            }
        });
        return out;
    }

    private static void awaitOutputs(LocalCloud cloud, Outputs outputs, Map<String, String> expected, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, String> dynamo = Map.of();
        Map<String, String> lake = Map.of();
        while (System.nanoTime() < deadline) {
            dynamo = outputs.dynamo(cloud);
            try {
                lake = outputs.lake(cloud);
            } catch (SQLException e) {
                // an object being replaced right now: read again
            }
            if (dynamo.equals(expected) && lake.equals(expected)) {
                return;
            }
            Thread.sleep(1_000);
        }
        assertSameAggregates(
                "DynamoDB from the live processor after " + timeout + " (see " + LOGS + "/*/live.log)",
                dynamo,
                expected);
        assertSameAggregates("lake from the live processor after " + timeout, lake, expected);
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
            assertThat(kinesis.putRecords(b -> b.streamName(stream).records(entries))
                            .failedRecordCount())
                    .isZero();
        }
    }

    /** Every record of the stream, per shard in order, with its shard id, sequence number and arrival time. */
    private static List<KinesisRecord> readStream(KinesisClient kinesis, String stream) {
        List<KinesisRecord> out = new ArrayList<>();
        for (Shard shard : kinesis.listShards(b -> b.streamName(stream)).shards()) {
            String iterator = kinesis.getShardIterator(b -> b.streamName(stream)
                            .shardId(shard.shardId())
                            .shardIteratorType(ShardIteratorType.TRIM_HORIZON))
                    .shardIterator();
            while (iterator != null) {
                String current = iterator;
                GetRecordsResponse response =
                        kinesis.getRecords(b -> b.shardIterator(current).limit(1000));
                for (Record r : response.records()) {
                    out.add(new KinesisRecord(
                            shard.shardId(),
                            new BigInteger(r.sequenceNumber()),
                            r.approximateArrivalTimestamp().toEpochMilli(),
                            r.data().asByteArray()));
                }
                iterator = response.records().isEmpty() ? null : response.nextShardIterator();
            }
        }
        return out;
    }

    /** A fresh aggregates table (the template's key schema) and lake bucket for one test. */
    private record Outputs(String table, String bucket) {

        static Outputs fresh(LocalCloud cloud, String run) {
            DynamoDbClient dynamo = cloud.dynamoDb();
            TableDescription template = dynamo.describeTable(
                            b -> b.tableName(cloud.environment().get("AGGREGATES_TABLE")))
                    .table();
            String table = run + "-aggregates";
            dynamo.createTable(b -> b.tableName(table)
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .keySchema(template.keySchema())
                    .attributeDefinitions(template.attributeDefinitions()));
            dynamo.waiter().waitUntilTableExists(b -> b.tableName(table));
            String bucket = run + "-lake";
            cloud.s3().createBucket(b -> b.bucket(bucket));
            return new Outputs(table, bucket);
        }

        Map<String, String> environment(LocalCloud cloud) {
            Map<String, String> env = new LinkedHashMap<>(cloud.environment());
            env.put("AGGREGATES_TABLE", table);
            env.put("LAKE_BUCKET", bucket);
            return env;
        }

        private DynamoDbTable<AggregateItem> items(LocalCloud cloud) {
            return cloud.dynamoDbEnhanced().table(table, TableSchema.fromBean(AggregateItem.class));
        }

        Map<String, String> dynamo(LocalCloud cloud) {
            Map<String, String> out = new TreeMap<>();
            items(cloud).scan(b -> b.consistentRead(true)).items().forEach(item -> {
                for (Map.Entry<String, MetricState> m : item.getMetrics().entrySet()) {
                    MetricState s = m.getValue();
                    out.put(
                            item.getResolution() + "|" + item.getDeviceId() + "|" + m.getKey() + "|"
                                    + item.getWindowStart(),
                            HandAggregates.describe(
                                    s.getCount(),
                                    s.getSum(),
                                    s.getMin(),
                                    s.getMax(),
                                    s.getFirstValue(),
                                    s.getFirstTs(),
                                    s.getLastValue(),
                                    s.getLastTs()));
                }
            });
            return out;
        }

        /** {@code resolution|device|windowStart} to the item's version (it moves with every put). */
        Map<String, Long> versions(LocalCloud cloud) {
            Map<String, Long> out = new TreeMap<>();
            items(cloud)
                    .scan(b -> b.consistentRead(true))
                    .items()
                    .forEach(item -> out.put(
                            item.getResolution() + "|" + item.getDeviceId() + "|" + item.getWindowStart(),
                            item.getVersion()));
            return out;
        }

        int deleteItems(LocalCloud cloud, String partitionKey) {
            DynamoDbTable<AggregateItem> items = items(cloud);
            List<AggregateItem> found = items.scan(b -> b.consistentRead(true)).items().stream()
                    .filter(i -> i.getPk().equals(partitionKey))
                    .toList();
            found.forEach(i -> items.deleteItem(Key.builder()
                    .partitionValue(i.getPk())
                    .sortValue(i.getWindowStart())
                    .build()));
            return found.size();
        }

        Set<String> lakeObjects(LocalCloud cloud) throws IOException {
            Path folder = cloud.bucketFolder(bucket);
            Path aggregates = folder.resolve("aggregates");
            if (!Files.exists(aggregates)) {
                return Set.of();
            }
            try (Stream<Path> files = Files.walk(aggregates)) {
                return files.filter(p -> p.toString().endsWith(".parquet"))
                        .map(p -> folder.relativize(p).toString())
                        .collect(Collectors.toCollection(TreeSet::new));
            }
        }

        /** The lake as Athena sees it: every Parquet object of the bucket, GROUP BY resolution, device, metric, window. */
        Map<String, String> lake(LocalCloud cloud) throws SQLException {
            Path folder = cloud.bucketFolder(bucket).resolve("aggregates");
            Map<String, String> out = new TreeMap<>();
            if (!Files.exists(folder)) {
                return out;
            }
            try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("""
                         SELECT resolution, device_id, metric, window_start_ms, sum(sample_count), sum(sum_value), min(min_value),
                                max(max_value), arg_min(first_value, first_ts_ms), min(first_ts_ms), arg_max(last_value, last_ts_ms),
                                max(last_ts_ms)
                         FROM read_parquet('%s/**/*.parquet', hive_partitioning = true, hive_types = {'dt': DATE, 'hour': INTEGER})
                         GROUP BY resolution, device_id, metric, window_start_ms
                         """.formatted(folder.toAbsolutePath()))) {
                while (rs.next()) {
                    out.put(
                            rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3) + "|" + rs.getLong(4),
                            HandAggregates.describe(
                                    rs.getLong(5),
                                    rs.getDouble(6),
                                    rs.getDouble(7),
                                    rs.getDouble(8),
                                    rs.getDouble(9),
                                    rs.getLong(10),
                                    rs.getDouble(11),
                                    rs.getLong(12)));
                }
            }
            return out;
        }
    }
}
