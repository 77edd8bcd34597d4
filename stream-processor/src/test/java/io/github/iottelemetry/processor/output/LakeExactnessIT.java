package io.github.iottelemetry.processor.output;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.iottelemetry.core.aggregate.WindowAggregate;
import io.github.iottelemetry.core.payload.Reading;
import io.github.iottelemetry.core.payload.TelemetryMessage;
import io.github.iottelemetry.core.window.Resolution;
import io.github.iottelemetry.localcloud.LocalCloud;
import io.github.iottelemetry.localcloud.LocalCloudExtension;
import io.github.iottelemetry.localcloud.LocalCloudOptions;
import io.github.iottelemetry.processor.output.dynamodb.AggregateItem;
import io.github.iottelemetry.processor.output.dynamodb.AggregatesTableWriter;
import io.github.iottelemetry.processor.output.dynamodb.MetricState;
import io.github.iottelemetry.processor.output.parquet.LakeAggregatesWriter;
import io.github.iottelemetry.processor.replay.HandAggregates;
import io.github.iottelemetry.processor.window.AggregationSettings;
import io.github.iottelemetry.processor.window.ShardAggregator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;

/**
 * The lake query's result for a window equals DynamoDB's, and both equal the device's messages aggregated by hand,
 * whatever path the device's records take through the stream: consecutive shards (a split's child, a merge's
 * child), children of one split written at the same time, a shard replayed by its next lease owner, a message the
 * device sent again after the reshard, and a worker that lost its lease writing its old result late. The writers
 * are the processor's own, on the local engines (dynalite, S3 with conditional writes); the lake is read as Athena
 * reads it, with DuckDB over the Parquet objects. Each shard's part is written by writers of its own (another worker,
 * which has not written the windows before and so first tries to create them), the zombie by the ones that wrote its
 * part the first time.
 */
class LakeExactnessIT {
    private static final Map<String, Long> RESOLUTIONS = Map.of("1m", 60_000L, "1h", 3_600_000L);
    private static final AggregationSettings SETTINGS = new AggregationSettings(
            List.of(Resolution.parse("1m"), Resolution.parse("1h")),
            Duration.ofSeconds(5),
            Duration.ofSeconds(2),
            Duration.ofHours(1));
    private static final long T0 = (System.currentTimeMillis() / 3_600_000L - 2) * 3_600_000L;
    private static final AtomicInteger DEVICES = new AtomicInteger();
    private static final String RUN = Long.toString(System.nanoTime(), 36);
    private static final ExecutorService IO = Executors.newFixedThreadPool(8);
    private static Path state;
    private static LocalCloud cloud;

    @BeforeContainer
    static void start() throws IOException {
        state = Files.createTempDirectory("lake-exactness-");
        cloud = LocalCloud.start(LocalCloudOptions.defaults(state)
                .withStateDirectory(state, true)
                .withTemplate(Optional.of(LocalCloudExtension.projectTemplate()), Map.of())
                .withFreePorts());
    }

    /** One worker's writers: what it has written before is its own. */
    private record Worker(AggregatesTableWriter table, LakeAggregatesWriter lake) {
        static Worker start() {
            return new Worker(
                    new AggregatesTableWriter(
                            cloud.dynamoDbEnhanced(),
                            cloud.environment().get("AGGREGATES_TABLE"),
                            IO,
                            Duration.ofDays(1)),
                    new LakeAggregatesWriter(cloud.s3(), cloud.environment().get("LAKE_BUCKET"), IO));
        }
    }

    private record Processed(Worker worker, List<StoredWindow> stored) {}

    @AfterContainer
    static void stop() {
        IO.shutdownNow();
        if (cloud != null) {
            cloud.close();
        }
    }

    /**
     * One shard's part of the device's records: how many messages, whether the next shard's part is processed at the
     * same time (two children of one split), whether the part is processed twice (a lease move replays it), whether it
     * starts with the previous part's last message again (the device resent it after the reshard), and whether its
     * worker writes its old result to the lake once more at the very end (a zombie that lost its lease).
     */
    record Part(int messages, boolean alongsideNext, boolean replayed, boolean resent, boolean zombie) {}

    @Property(tries = 30)
    void theLakeShowsEachWindowOnceAsDynamoDbHoldsItWhateverTheShardHistory(
            @ForAll("histories") List<Part> history, @ForAll("readingSlots") List<Integer> slots) {
        String device = "lake-" + RUN + "-" + DEVICES.incrementAndGet();
        List<TelemetryMessage> sent = new ArrayList<>();
        List<List<TelemetryMessage>> perShard = new ArrayList<>();
        int seq = 0;
        int slot = 0;
        for (Part part : history) {
            List<TelemetryMessage> records = new ArrayList<>();
            if (part.resent() && !sent.isEmpty()) {
                records.add(sent.get(sent.size() - 1));
            }
            for (int i = 0; i < part.messages(); i++) {
                TelemetryMessage m =
                        message(device, ++seq, slots.get(slot++ % slots.size()), slots.get(slot++ % slots.size()));
                records.add(m);
                sent.add(m);
            }
            perShard.add(records);
        }

        List<Processed> zombieResults = new ArrayList<>();
        for (int shard = 0; shard < history.size(); shard++) {
            Part part = history.get(shard);
            int current = shard;
            List<Runnable> together = new ArrayList<>();
            List<Processed> firstResult = new ArrayList<>();
            together.add(() -> firstResult.add(process(perShard.get(current))));
            if (part.alongsideNext() && shard + 1 < history.size()) {
                together.add(() -> process(perShard.get(current + 1)));
                shard++;
            }
            together.stream()
                    .map(work -> CompletableFuture.runAsync(work, IO))
                    .toList()
                    .forEach(CompletableFuture::join);
            if (part.replayed()) {
                process(perShard.get(current));
            }
            if (part.zombie()) {
                zombieResults.add(firstResult.get(0));
            }
        }
        zombieResults.forEach(zombie -> zombie.worker().lake().write(zombie.stored()));

        Map<String, String> expected = HandAggregates.of(sent, RESOLUTIONS);
        assertThat(dynamoDb(device)).as("DynamoDB").isEqualTo(expected);
        assertThat(lakeAsAthenaSeesIt(device))
                .as("lake, GROUP BY over the Parquet objects")
                .isEqualTo(expected);
        assertThat(rowsPerWindow(device))
                .as("lake rows per (resolution, metric, window)")
                .allSatisfy((window, rows) -> assertThat(rows).as(window).isEqualTo(1L));
    }

    /** A worker holding the shard's lease from its start to its end: fold everything, write every window at shard end. */
    private static Processed process(List<TelemetryMessage> records) {
        ShardAggregator shard = new ShardAggregator(SETTINGS, T0);
        long sequence = 0;
        for (TelemetryMessage m : records) {
            shard.add(Long.toString(++sequence), m, T0);
        }
        List<WindowAggregate> windows = shard.closeAll(T0);
        Worker worker = Worker.start();
        List<StoredWindow> stored = worker.table().write(windows, shard::deltaExcluding);
        worker.lake().write(stored);
        return new Processed(worker, stored);
    }

    /**
     * A window no writer has written is created by one conditional put, without a read; a writer that has not written
     * an existing window either finds it there (its create fails) and merges onto it from a read; one that has
     * written it reads first. Every way, the item and the lake hold each message once.
     */
    @Example
    void aNewWindowIsCreatedWithoutAReadAndAnExistingOneIsMergedAfterTheFailedCreate() {
        String device = "create-" + RUN + "-" + DEVICES.incrementAndGet();
        List<TelemetryMessage> first = List.of(message(device, 1, 0, 1), message(device, 2, 2, 3));
        List<TelemetryMessage> second = List.of(message(device, 3, 0, 4), message(device, 4, 5, 6));
        Worker one = Worker.start();
        Worker other = Worker.start();

        WindowOutput output = new WindowOutput(one.table(), one.lake());
        ShardAggregator shard = new ShardAggregator(SETTINGS, T0);
        first.forEach(m -> shard.add(Long.toString(m.seq()), m, T0));
        List<WindowAggregate> firstWindows = shard.closeAll(T0);
        WindowOutput.Written written = output.write(firstWindows, shard::deltaExcluding);
        assertThat(one.table().existingOnCreate())
                .as("new windows: created, nothing found")
                .isZero();
        assertThat(written.itemsChanged()).isEqualTo(firstWindows.size());
        assertThat(written.windows())
                .extracting(WindowOutput.Durable::key)
                .containsExactlyElementsOf(
                        firstWindows.stream().map(WindowAggregate::key).toList());
        assertThat(written.windows())
                .allSatisfy(d -> assertThat(d.lakeDurableAt()).isGreaterThanOrEqualTo(d.tableDurableAt()));

        ShardAggregator next = new ShardAggregator(SETTINGS, T0);
        second.forEach(m -> next.add(Long.toString(m.seq()), m, T0));
        List<WindowAggregate> secondWindows = next.closeAll(T0);
        new WindowOutput(other.table(), other.lake()).write(secondWindows, next::deltaExcluding);
        long existing = secondWindows.stream()
                .filter(w -> firstWindows.stream().anyMatch(f -> f.key().equals(w.key())))
                .count();
        assertThat(existing).as("the test's windows overlap").isPositive();
        assertThat(other.table().existingOnCreate())
                .as("windows the other writer found existing")
                .isEqualTo(existing);

        ShardAggregator again = new ShardAggregator(SETTINGS, T0);
        first.forEach(m -> again.add(Long.toString(m.seq()), m, T0));
        WindowOutput.Written replayed = output.write(again.closeAll(T0), again::deltaExcluding);
        assertThat(replayed.itemsChanged())
                .as("a replay by the first writer changes nothing")
                .isZero();
        assertThat(one.table().existingOnCreate())
                .as("it read the windows it had written")
                .isZero();

        List<TelemetryMessage> all = new ArrayList<>(first);
        all.addAll(second);
        Map<String, String> expected = HandAggregates.of(all, RESOLUTIONS);
        assertThat(dynamoDb(device)).as("DynamoDB").isEqualTo(expected);
        assertThat(lakeAsAthenaSeesIt(device)).as("lake").isEqualTo(expected);
        assertThat(rowsPerWindow(device))
                .allSatisfy((window, rows) -> assertThat(rows).as(window).isEqualTo(1L));
    }

    /** Readings at slot offsets (in 10-second steps over 3 minutes, so windows span parts), values in eighths. */
    private static TelemetryMessage message(String device, int seq, int firstSlot, int secondSlot) {
        List<Reading> readings = new ArrayList<>();
        for (int slot : List.of(firstSlot, secondSlot)) {
            Map<String, Double> metrics = new LinkedHashMap<>();
            metrics.put("temperature", 20 + slot / 8.0);
            metrics.put("humidity", 40 + (seq % 7) / 8.0);
            readings.add(Reading.of(T0 + slot * 10_000L, metrics));
        }
        return TelemetryMessage.fromDevice(device, seq, T0, readings).withIngest(device, T0);
    }

    private static Map<String, String> dynamoDb(String device) {
        var items = cloud.dynamoDbEnhanced()
                .table(cloud.environment().get("AGGREGATES_TABLE"), TableSchema.fromBean(AggregateItem.class));
        Map<String, String> out = new TreeMap<>();
        for (String resolution : RESOLUTIONS.keySet()) {
            items.query(q -> q.queryConditional(
                                    software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional.keyEqualTo(
                                            Key.builder()
                                                    .partitionValue(device + "#" + resolution)
                                                    .build()))
                            .consistentRead(true))
                    .items()
                    .forEach(item -> {
                        for (Map.Entry<String, MetricState> m :
                                item.getMetrics().entrySet()) {
                            MetricState s = m.getValue();
                            out.put(
                                    resolution + "|" + device + "|" + m.getKey() + "|" + item.getWindowStart(),
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
        }
        return out;
    }

    private static Map<String, String> lakeAsAthenaSeesIt(String device) {
        Map<String, String> out = new TreeMap<>();
        query(
                """
                SELECT resolution, metric, window_start_ms, sum(sample_count), sum(sum_value), min(min_value), max(max_value),
                       arg_min(first_value, first_ts_ms), min(first_ts_ms), arg_max(last_value, last_ts_ms), max(last_ts_ms)
                FROM %s WHERE device_id = ? GROUP BY resolution, metric, window_start_ms
                """,
                device,
                rs -> out.put(
                        rs.getString(1) + "|" + device + "|" + rs.getString(2) + "|" + rs.getLong(3),
                        HandAggregates.describe(
                                rs.getLong(4),
                                rs.getDouble(5),
                                rs.getDouble(6),
                                rs.getDouble(7),
                                rs.getDouble(8),
                                rs.getLong(9),
                                rs.getDouble(10),
                                rs.getLong(11))));
        return out;
    }

    private static Map<String, Long> rowsPerWindow(String device) {
        Map<String, Long> out = new TreeMap<>();
        query(
                "SELECT resolution, metric, window_start_ms, count(*) FROM %s WHERE device_id = ? GROUP BY ALL",
                device, rs -> out.put(rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getLong(3), rs.getLong(4)));
        return out;
    }

    private interface Row {
        void accept(ResultSet rs) throws SQLException;
    }

    private static void query(String sql, String device, Row row) {
        Path aggregates =
                cloud.bucketFolder(cloud.environment().get("LAKE_BUCKET")).resolve("aggregates");
        String source = "read_parquet('" + aggregates.toAbsolutePath() + "/**/*.parquet', hive_partitioning = true, "
                + "hive_types = {'dt': DATE, 'hour': INTEGER})";
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
                PreparedStatement s = c.prepareStatement(sql.formatted(source))) {
            s.setString(1, device);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    row.accept(rs);
                }
            }
        } catch (SQLException e) {
            throw new AssertionError("DuckDB over " + aggregates + ": " + e.getMessage(), e);
        }
    }

    @Provide
    Arbitrary<List<Part>> histories() {
        return Combinators.combine(
                        Arbitraries.integers().between(1, 5),
                        Arbitraries.of(true, false, false),
                        Arbitraries.of(true, false, false),
                        Arbitraries.of(true, false, false),
                        Arbitraries.of(true, false, false))
                .as(Part::new)
                .list()
                .ofMinSize(1)
                .ofMaxSize(5);
    }

    @Provide
    Arbitrary<List<Integer>> readingSlots() {
        return Arbitraries.integers().between(0, 17).list().ofMinSize(1).ofMaxSize(8);
    }
}
