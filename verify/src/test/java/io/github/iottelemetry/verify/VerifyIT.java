package io.github.iottelemetry.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.iottelemetry.core.aggregate.MetricAggregate;
import io.github.iottelemetry.core.aggregate.WindowAggregate;
import io.github.iottelemetry.core.aggregate.WindowAggregator;
import io.github.iottelemetry.core.lake.LakeLayout;
import io.github.iottelemetry.core.lake.RawArchiveLine;
import io.github.iottelemetry.core.ledger.LedgerEntry;
import io.github.iottelemetry.core.ledger.LedgerWriter;
import io.github.iottelemetry.core.payload.Reading;
import io.github.iottelemetry.core.payload.TelemetryCodec;
import io.github.iottelemetry.core.payload.TelemetryMessage;
import io.github.iottelemetry.core.validation.ReasonCode;
import io.github.iottelemetry.core.window.Resolution;
import io.github.iottelemetry.localcloud.LocalCloud;
import io.github.iottelemetry.localcloud.LocalCloudExtension;
import io.github.iottelemetry.query.catalog.LakeCatalog;
import io.github.iottelemetry.query.engine.LocalQueryEngine;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Verification on the local engines: outputs written in the stream processor's shapes (aggregate items
 * in DynamoDB, Parquet rows and quarantine objects in S3Proxy) are checked against a ledger;
 * exact outputs pass, and each kind of damage is found and named.
 */
@ExtendWith(LocalCloudExtension.class)
class VerifyIT {
    private static final long T0 = System.currentTimeMillis() / 60_000 * 60_000 - 3_600_000;
    private static final List<Resolution> RESOLUTIONS = Resolution.parseList("1m");
    private static final String PREFIX = "verify-" + Long.toString(T0, 36) + "-";

    @TempDir
    static Path work;

    static LocalCloud cloud;
    static LedgerExpectation ledger;
    static LakeCatalog catalog;
    static String table;
    static String bucket;

    @BeforeAll
    static void writeOutputs(LocalCloud localCloud) throws Exception {
        cloud = localCloud;
        table = cloud.environment().get("AGGREGATES_TABLE");
        bucket = cloud.environment().get("LAKE_BUCKET");
        catalog = LakeCatalog.fromTemplate(
                Path.of("..", "template.yaml").toAbsolutePath().normalize(), "iot-telemetry-local", "us-east-1");

        Random rnd = new Random(3);
        List<LedgerEntry> entries = new ArrayList<>();
        List<TelemetryMessage> arrived = new ArrayList<>();
        for (int d = 1; d <= 3; d++) {
            String device = PREFIX + d;
            for (int seq = 1; seq <= 20; seq++) {
                long sentAt = T0 + seq * 10_000L;
                List<Reading> readings = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    Map<String, Double> m = new LinkedHashMap<>();
                    m.put("temperature", Math.round((20 + rnd.nextGaussian()) * 100) / 100.0);
                    m.put("battery", 3.7);
                    readings.add(Reading.of(sentAt - 10_000 + i * 1000L, m));
                }
                TelemetryMessage msg = TelemetryMessage.fromDevice(device, seq, sentAt, readings);
                boolean acked = !(d == 3 && seq >= 19); // two messages without PUBACK: seq 19 arrived, seq 20 did not
                entries.add(LedgerEntry.counted(msg, acked));
                if (acked || seq == 19) {
                    arrived.add(msg);
                }
            }
            entries.add(LedgerEntry.duplicate(device, 5, T0 + 50_000, true));
        }
        entries.add(LedgerEntry.quarantined(PREFIX + 1, 100, T0, true, ReasonCode.LATE));
        entries.add(LedgerEntry.quarantined(PREFIX + 2, 100, T0, true, ReasonCode.LATE));
        entries.add(LedgerEntry.quarantined(PREFIX + 3, 100, T0, true, ReasonCode.MALFORMED_JSON));
        Path ledgerFile = work.resolve("ledger.bin.gz");
        try (LedgerWriter w = LedgerWriter.create(ledgerFile)) {
            for (LedgerEntry e : entries) {
                w.write(e);
            }
        }
        ledger = LedgerExpectation.read(ledgerFile);

        // DynamoDB: one item per device window, as the stream processor writes it.
        WindowAggregator all = new WindowAggregator(RESOLUTIONS);
        arrived.forEach(all::fold);
        for (WindowAggregate w : all.drainAll()) {
            putItem(cloud.dynamoDb(), w);
        }
        // Lake: each window in two partial rows from two files, as after a late correction.
        WindowAggregator first = new WindowAggregator(RESOLUTIONS);
        WindowAggregator second = new WindowAggregator(RESOLUTIONS);
        for (TelemetryMessage m : arrived) {
            (m.seq() % 2 == 0 ? first : second).fold(m);
        }
        putParquet("part-a", first.drainAll());
        putParquet("part-b", second.drainAll());
        // Raw: each arrived message as a Kinesis record (the resent seq 5 as a second record), as the ingest function
        // archives.
        List<byte[]> raw = new ArrayList<>();
        long sequence = 1_000;
        for (TelemetryMessage m : arrived) {
            raw.add(rawLine(m, sequence++));
            if (m.seq() == 5) {
                raw.add(rawLine(m, sequence++));
            }
        }
        putRaw("shardId-000000000000-" + PREFIX + "a", raw);
        putQuarantine("LATE", "1");
        putQuarantine("LATE", "2");
        putQuarantine("MALFORMED_JSON", "3");
    }

    @Test
    void exactOutputsAreExact() {
        Verification.Verdict v = verify();
        assertThat(v.dynamoDb().missing() + v.dynamoDb().extra() + v.dynamoDb().different())
                .as(v.dynamoDb().firstDifferences().toString())
                .isZero();
        assertThat(v.lake().missing() + v.lake().extra() + v.lake().different())
                .as(v.lake().firstDifferences().toString())
                .isZero();
        assertThat(v.dynamoDb().exact())
                .isEqualTo(3 * 4 * 2); // 200 s of readings per device from a whole minute: 4 windows x 2 metrics
        assertThat(v.deliveredUnacked()).isEqualTo(1);
        assertThat(v.quarantine()).allMatch(Verification.QuarantineCheck::ok);
        assertThat(v.raw().archivedTwice()).isZero();
        assertThat(v.raw().records()).isEqualTo(3 * 20 - 1 + 3);
        assertThat(v.raw().ok()).isTrue();
        assertThat(v.exact()).isTrue();
    }

    @Test
    void aRecordArchivedTwiceAndAnAcknowledgedMessageMissingFromRawAreFound() throws Exception {
        String again = "shardId-000000000000-" + PREFIX + "again";
        putRaw(again, List.of(rawLine(TelemetryMessage.fromDevice(PREFIX + 1, 7, T0, List.of()), 1_000 + 6)));
        try {
            Verification.Verdict v = verify();
            assertThat(v.raw().archivedTwice()).isEqualTo(1);
            assertThat(v.exact()).isFalse();
        } finally {
            cloud.s3().deleteObject(b -> b.bucket(bucket).key(rawKey(again)));
        }
        String only = "shardId-000000000000-" + PREFIX + "a";
        byte[] complete = cloud.s3()
                .getObjectAsBytes(b -> b.bucket(bucket).key(rawKey(only)))
                .asByteArray();
        cloud.s3().deleteObject(b -> b.bucket(bucket).key(rawKey(only)));
        try {
            Verification.Verdict v = verify();
            assertThat(v.raw().missingAcked()).hasSize(3 * 20 - 2).contains(PREFIX + "1#1");
            assertThat(v.exact()).isFalse();
        } finally {
            cloud.s3().putObject(b -> b.bucket(bucket).key(rawKey(only)), RequestBody.fromBytes(complete));
        }
    }

    @Test
    void aDamagedItemAndAMissingItemAreFoundAndNamed() {
        DynamoDbClient dynamo = cloud.dynamoDb();
        Map<String, AttributeValue> key = Map.of(
                "pk",
                AttributeValue.fromS(PREFIX + "2#1m"),
                "windowStart",
                AttributeValue.fromN(Long.toString(T0 + 60_000)));
        Map<String, AttributeValue> original = dynamo.getItem(
                        b -> b.tableName(table).key(key).consistentRead(true))
                .item();
        try {
            Map<String, AttributeValue> damaged = new HashMap<>(original);
            Map<String, AttributeValue> metrics =
                    new HashMap<>(original.get("metrics").m());
            Map<String, AttributeValue> battery =
                    new HashMap<>(metrics.get("battery").m());
            battery.put(
                    "count",
                    AttributeValue.fromN(
                            Long.toString(Long.parseLong(battery.get("count").n()) + 1)));
            metrics.put("battery", AttributeValue.fromM(battery));
            damaged.put("metrics", AttributeValue.fromM(metrics));
            dynamo.putItem(b -> b.tableName(table).item(damaged));
            Map<String, AttributeValue> otherKey = Map.of(
                    "pk",
                    AttributeValue.fromS(PREFIX + "1#1m"),
                    "windowStart",
                    AttributeValue.fromN(Long.toString(T0 + 60_000)));
            Map<String, AttributeValue> other = dynamo.getItem(
                            b -> b.tableName(table).key(otherKey).consistentRead(true))
                    .item();
            dynamo.deleteItem(b -> b.tableName(table).key(otherKey));
            try {
                Verification.Verdict v = verify();
                assertThat(v.exact()).isFalse();
                assertThat(v.dynamoDb().different()).isEqualTo(1);
                assertThat(v.dynamoDb().missing()).isEqualTo(2); // both metrics of the deleted window
                assertThat(v.dynamoDb().firstDifferences())
                        .anyMatch(d -> d.startsWith("different " + PREFIX + "2#1m@" + (T0 + 60_000) + " battery"));
                assertThat(v.lake().isExact()).isTrue();
            } finally {
                dynamo.putItem(b -> b.tableName(table).item(other));
            }
        } finally {
            dynamo.putItem(b -> b.tableName(table).item(original));
        }
    }

    private static Verification.Verdict verify() {
        try (LocalQueryEngine lake = new LocalQueryEngine(catalog, cloud.bucketFolder(bucket))) {
            Verification.Verdict v = Verification.run(ledger, RESOLUTIONS, cloud.dynamoDb(), table, lake);
            Verification.print(v, System.out);
            return v;
        }
    }

    private static void putItem(DynamoDbClient dynamo, WindowAggregate w) {
        Map<String, AttributeValue> metrics = new HashMap<>();
        for (Map.Entry<String, MetricAggregate> e : w.metrics().entrySet()) {
            MetricAggregate a = e.getValue();
            Map<String, AttributeValue> f = new HashMap<>();
            f.put("count", n(a.count()));
            f.put("sum", n(a.sum()));
            f.put("min", n(a.min()));
            f.put("max", n(a.max()));
            f.put("firstTs", n(a.firstTs()));
            f.put("firstSeq", n(a.firstSeq()));
            f.put("firstIndex", n(a.firstIndex()));
            f.put("firstValue", n(a.firstValue()));
            f.put("lastTs", n(a.lastTs()));
            f.put("lastSeq", n(a.lastSeq()));
            f.put("lastIndex", n(a.lastIndex()));
            f.put("lastValue", n(a.lastValue()));
            f.put("seqs", AttributeValue.fromS(a.seqs().encode()));
            metrics.put(e.getKey(), AttributeValue.fromM(f));
        }
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("pk", AttributeValue.fromS(w.key().partitionKey()));
        item.put("windowStart", n(w.key().windowStart()));
        item.put("windowEnd", n(w.key().windowEnd()));
        item.put("deviceId", AttributeValue.fromS(w.key().deviceId()));
        item.put("resolution", AttributeValue.fromS(w.key().resolution().label()));
        item.put("metrics", AttributeValue.fromM(metrics));
        item.put("version", n(1));
        dynamo.putItem(b -> b.tableName(table).item(item));
    }

    private static AttributeValue n(Number v) {
        return AttributeValue.fromN(v.toString());
    }

    private static void putParquet(String name, List<WindowAggregate> windows) throws Exception {
        Map<String, List<String>> rowsByPartition = new LinkedHashMap<>();
        for (WindowAggregate w : windows) {
            String partition = java.time.format.DateTimeFormatter.ofPattern("'dt='yyyy-MM-dd'/hour='HH")
                    .withZone(java.time.ZoneOffset.UTC)
                    .format(java.time.Instant.ofEpochMilli(w.key().windowStart()));
            for (Map.Entry<String, MetricAggregate> e : w.metrics().entrySet()) {
                MetricAggregate a = e.getValue();
                rowsByPartition
                        .computeIfAbsent(partition, p -> new ArrayList<>())
                        .add(String.format(
                                java.util.Locale.ROOT,
                                "('%s','%s',%d,%d,%d,%s,%s,%s,%d,%s,%d,%s)",
                                w.key().deviceId(),
                                e.getKey(),
                                w.key().windowStart(),
                                w.key().windowEnd(),
                                a.count(),
                                Double.toString(a.sum()),
                                Double.toString(a.min()),
                                Double.toString(a.max()),
                                a.firstTs(),
                                Double.toString(a.firstValue()),
                                a.lastTs(),
                                Double.toString(a.lastValue())));
            }
        }
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
                Statement s = c.createStatement()) {
            for (Map.Entry<String, List<String>> p : rowsByPartition.entrySet()) {
                Path file = work.resolve(name + "-" + p.getKey().replace('/', '-') + ".parquet");
                s.execute("COPY (SELECT * FROM (VALUES " + String.join(",", p.getValue())
                        + ") t(device_id, metric, window_start_ms,"
                        + " window_end_ms, sample_count, sum_value, min_value, max_value, first_ts_ms, first_value, last_ts_ms, last_value))"
                        + " TO '" + file + "' (FORMAT PARQUET)");
                String key = "aggregates/resolution=1m/" + p.getKey() + "/" + PREFIX + name + ".parquet";
                cloud.s3().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromFile(file));
            }
        }
    }

    private static byte[] rawLine(TelemetryMessage m, long sequence) {
        java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
        try {
            RawArchiveLine.write(
                    line,
                    TelemetryCodec.encode(m.withIngest(m.deviceId(), T0)),
                    "shardId-000000000000",
                    Long.toString(sequence),
                    T0);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return line.toByteArray();
    }

    private static String rawKey(String name) {
        return LakeLayout.rawKey(T0, "shardId-000000000000", name.substring(name.lastIndexOf('-') + 1));
    }

    private static void putRaw(String name, List<byte[]> lines) throws Exception {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            for (byte[] line : lines) {
                gz.write(line);
            }
        }
        cloud.s3().putObject(b -> b.bucket(bucket).key(rawKey(name)), RequestBody.fromBytes(bytes.toByteArray()));
    }

    private static void putQuarantine(String reason, String seq) throws Exception {
        String dt = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(("{\"reason\":\"" + reason
                            + "\",\"detail\":\"d\",\"shardId\":\"shardId-000000000000\",\"sequenceNumber\":\"" + PREFIX
                            + seq + "\",\"arrivalTs\":1,\"sizeBytes\":2,\"dataBase64\":\"e30=\"}\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        String key = "quarantine/dt=" + dt + "/reason=" + reason + "/" + PREFIX + seq + ".json.gz";
        cloud.s3().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(bytes.toByteArray()));
    }
}
