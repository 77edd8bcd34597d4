package io.github.iottelemetry.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.iottelemetry.query.catalog.LakeCatalog;
import io.github.iottelemetry.query.catalog.NamedQuery;
import io.github.iottelemetry.query.engine.AthenaParameterRules;
import io.github.iottelemetry.query.engine.LocalQueryEngine;
import io.github.iottelemetry.query.engine.QueryResult;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The template's Glue tables as DuckDB views over a lake folder, and every named query of the template on it. */
class LakeQueryTest {
    static final Path TEMPLATE = Path.of("..", "template.yaml").toAbsolutePath().normalize();

    @TempDir
    static Path lake;

    static LakeCatalog catalog;

    @BeforeAll
    static void writeLake() throws Exception {
        catalog = LakeCatalog.fromTemplate(TEMPLATE, "demo", "us-east-1");
        // Aggregates as the stream processor writes them: one row per (device, metric, window), Hive partitions.
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
                Statement s = c.createStatement()) {
            String base = lake.resolve("aggregates/resolution=1m").toString();
            Files.createDirectories(Path.of(base, "dt=2026-11-23", "hour=10"));
            Files.createDirectories(Path.of(base, "dt=2026-11-23", "hour=11"));
            Files.createDirectories(Path.of(base, "dt=2026-11-24", "hour=00"));
            s.execute(
                    copy(
                            base + "/dt=2026-11-23/hour=10/shardId-000000000000-1.parquet",
                            "('sim-1','temperature',1763892000000,1763892060000,6,126.0,20.0,22.0,1763892000000,20.0,1763892059000,22.0),"
                                    + "('sim-1','temperature',1763892060000,1763892120000,6,132.0,21.0,23.0,1763892060000,21.0,1763892119000,23.0),"
                                    + "('sim-2','temperature',1763892000000,1763892060000,6,180.0,29.0,31.0,1763892000000,29.0,1763892059000,31.0),"
                                    + "('sim-1','humidity',1763892000000,1763892060000,6,240.0,39.0,41.0,1763892000000,39.0,1763892059000,41.0)"));
            s.execute(
                    copy(
                            base + "/dt=2026-11-23/hour=11/shardId-000000000001-1.parquet",
                            "('sim-1','temperature',1763895600000,1763895660000,6,150.0,24.0,26.0,1763895600000,24.0,1763895659000,26.0),"
                                    + "('sim-3','temperature',1763895600000,1763895660000,2,10.0,4.0,6.0,1763895600000,4.0,1763895659000,6.0)"));
            s.execute(
                    copy(
                            base + "/dt=2026-11-24/hour=00/shardId-000000000000-9.parquet",
                            "('sim-2','temperature',1763942400000,1763942460000,1,99.0,99.0,99.0,1763942400000,99.0,1763942400000,99.0)"));
        }
        gzipLines(
                lake.resolve("quarantine/dt=2026-11-23/reason=LATE/shardId-000000000000-7.json.gz"),
                "{\"reason\":\"LATE\",\"detail\":\"readings[0].ts=1 is old\",\"shardId\":\"shardId-000000000000\",\"sequenceNumber\":\"7\","
                        + "\"arrivalTs\":1763892000000,\"sizeBytes\":120,\"dataBase64\":\"e30=\"}");
        gzipLines(
                lake.resolve("quarantine/dt=2026-11-23/reason=MALFORMED_JSON/shardId-000000000000-8.json.gz"),
                "{\"reason\":\"MALFORMED_JSON\",\"detail\":\"x\",\"shardId\":\"shardId-000000000000\",\"sequenceNumber\":\"8\","
                        + "\"arrivalTs\":1763892000000,\"sizeBytes\":3,\"dataBase64\":\"e30=\"}");
        gzipLines(
                lake.resolve("quarantine/dt=2026-11-23/reason=MALFORMED_JSON/shardId-000000000000-9.json.gz"),
                "{\"reason\":\"MALFORMED_JSON\",\"detail\":\"y\",\"shardId\":\"shardId-000000000000\",\"sequenceNumber\":\"9\","
                        + "\"arrivalTs\":1763892000000,\"sizeBytes\":3,\"dataBase64\":\"e30=\"}");
        gzipLines(
                lake.resolve("raw/dt=2026-11-23/hour=10/shardId-000000000000-1-2.json.gz"),
                "{\"schema\":\"telemetry.v1\",\"deviceId\":\"sim-1\",\"seq\":1,\"sentAt\":1763892001000,\"readings\":[{\"ts\":1763892000000,"
                        + "\"m\":{\"temperature\":20.0,\"humidity\":39.0}}],\"thing\":\"sim-1\",\"ingestTs\":1763892001100,"
                        + "\"kinesisShardId\":\"shardId-000000000000\",\"kinesisSequenceNumber\":\"1\",\"kinesisArrivalTs\":1763892001200}",
                "{\"schema\":\"telemetry.v1\",\"deviceId\":\"sim-1\",\"seq\":2,\"sentAt\":1763892002000,\"readings\":[{\"ts\":1763892001000,"
                        + "\"m\":{\"temperature\":20.5}}],\"thing\":\"sim-1\",\"ingestTs\":1763892002100,"
                        + "\"kinesisShardId\":\"shardId-000000000000\",\"kinesisSequenceNumber\":\"2\",\"kinesisArrivalTs\":1763892002200}");
    }

    private static String copy(String file, String rows) {
        return "COPY (SELECT * FROM (VALUES " + rows
                + ") t(device_id, metric, window_start_ms, window_end_ms, sample_count,"
                + " sum_value, min_value, max_value, first_ts_ms, first_value, last_ts_ms, last_value)) TO '" + file
                + "' (FORMAT PARQUET)";
    }

    private static void gzipLines(Path file, String... lines) throws IOException {
        Files.createDirectories(file.getParent());
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            for (String l : lines) {
                out.write((l + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void theTemplateDefinesTheTablesAndQueries() {
        assertThat(catalog.database()).isEqualTo("demo_telemetry");
        assertThat(catalog.workGroup()).isEqualTo("demo-telemetry");
        assertThat(catalog.tables())
                .extracting(t -> t.name())
                .containsExactlyInAnyOrder("raw_telemetry", "telemetry_aggregates", "quarantine");
        assertThat(catalog.namedQueries())
                .extracting(NamedQuery::name)
                .containsExactlyInAnyOrder(
                        "device-hourly-summary",
                        "fleet-metric-range",
                        "silent-devices",
                        "top-devices-by-metric",
                        "quarantine-by-reason");
    }

    @Test
    void deviceHourlySummary() {
        assertThat(run("device-hourly-summary", "sim-1", "2026-11-23"))
                .containsExactly(
                        List.of("sim-1", "humidity", "2026-11-23", 10, 6L, 39.0, 41.0, 40.0),
                        List.of("sim-1", "temperature", "2026-11-23", 10, 12L, 20.0, 23.0, 21.5),
                        List.of("sim-1", "temperature", "2026-11-23", 11, 6L, 24.0, 26.0, 25.0));
    }

    @Test
    void fleetMetricRange() {
        assertThat(run("fleet-metric-range", "2026-11-23", "2026-11-23"))
                .containsExactly(
                        List.of("humidity", 1L, 6L, 39.0, 41.0, 40.0),
                        List.of("temperature", 3L, 26L, 4.0, 31.0, 598.0 / 26));
    }

    @Test
    void silentDevices() {
        // seen since 2026-11-23; sim-1 and sim-3 last reported in the window ending 11:01 UTC, sim-2 on the next day
        assertThat(run("silent-devices", "2026-11-23", "1763900000000"))
                .containsExactlyInAnyOrder(List.of("sim-1", 1763895660000L), List.of("sim-3", 1763895660000L));
        assertThat(run("silent-devices", "2026-11-24", "1763900000000")).isEmpty();
    }

    @Test
    void topDevicesByMetric() {
        assertThat(run("top-devices-by-metric", "temperature", "2026-11-23", "2026-11-24", "2"))
                .containsExactly(List.of("sim-2", 279.0 / 7, 99.0, 7L), List.of("sim-1", 408.0 / 18, 26.0, 18L));
    }

    @Test
    void quarantineByReason() {
        assertThat(run("quarantine-by-reason", "2026-11-23", "2026-11-23"))
                .containsExactly(List.of("MALFORMED_JSON", "2026-11-23", 2L), List.of("LATE", "2026-11-23", 1L));
    }

    @Test
    void rawTelemetryKeepsTheRecordsWithTheirReadings() {
        try (LocalQueryEngine engine = new LocalQueryEngine(catalog, lake)) {
            QueryResult r = engine.run(
                    "SELECT deviceid, seq, \"hour\", readings[1].m['temperature'] AS t FROM raw_telemetry ORDER BY seq",
                    List.of());
            assertThat(r.rows()).containsExactly(List.of("sim-1", 1L, 10, 20.0), List.of("sim-1", 2L, 10, 20.5));
        }
    }

    @Test
    void anEmptyLakeHasEmptyTablesWithTheirColumns(@TempDir Path empty) {
        try (LocalQueryEngine engine = new LocalQueryEngine(catalog, empty)) {
            assertThat(engine.run(
                                    catalog.namedQuery("quarantine-by-reason")
                                            .orElseThrow()
                                            .sql(),
                                    List.of("2026-01-01", "2026-12-31"))
                            .rows())
                    .isEmpty();
            assertThat(engine.run("SELECT * FROM telemetry_aggregates", List.of())
                            .columns())
                    .contains("device_id", "resolution", "dt", "hour");
        }
    }

    @Test
    void badSqlSaysWhatIsWrong() {
        try (LocalQueryEngine engine = new LocalQueryEngine(catalog, lake)) {
            assertThatThrownBy(() -> engine.run("SELECT nope FROM quarantine", List.of()))
                    .hasMessageContaining("query failed on the local engine (DuckDB)")
                    .hasMessageContaining("nope");
        }
    }

    @Test
    void parametersOutsideWhereAreRefusedAsAthenaRefusesThem() {
        try (LocalQueryEngine engine = new LocalQueryEngine(catalog, lake)) {
            assertThatThrownBy(() -> engine.run("SELECT device_id FROM telemetry_aggregates LIMIT ?", List.of("2")))
                    .hasMessageContaining("Athena would refuse")
                    .hasMessageContaining("LIMIT");
            assertThatThrownBy(() -> engine.run(
                            "SELECT device_id FROM telemetry_aggregates GROUP BY device_id"
                                    + " HAVING max(window_end_ms) < ?",
                            List.of("5")))
                    .hasMessageContaining("HAVING");
            assertThatThrownBy(() -> engine.run("SELECT ? AS x FROM quarantine", List.of("a")))
                    .hasMessageContaining("SELECT list");
            assertThatThrownBy(() -> engine.run(
                            "SELECT device_id FROM telemetry_aggregates"
                                    + " WHERE device_id IN (SELECT device_id FROM telemetry_aggregates LIMIT ?)",
                            List.of("1")))
                    .as("a subquery's LIMIT is a LIMIT, even inside WHERE")
                    .hasMessageContaining("LIMIT");
            assertThat(engine.run(
                                    "SELECT count(*) FROM (SELECT device_id, max(window_end_ms) AS last FROM telemetry_aggregates"
                                            + " WHERE dt >= ? GROUP BY device_id) WHERE last < ? AND '?' = '?' -- ?",
                                    List.of("2026-01-01", "9"))
                            .rows())
                    .as("outer WHERE, a quoted ? and a commented ? are fine")
                    .hasSize(1);
        }
    }

    @Test
    void everyNamedQueryOfTheTemplateKeepsItsParametersWhereAthenaAcceptsThem() throws Exception {
        try (Connection duckDb = DriverManager.getConnection("jdbc:duckdb:")) {
            for (NamedQuery query : catalog.namedQueries()) {
                assertThat(AthenaParameterRules.violations(duckDb, query.sql()))
                        .as(query.name())
                        .isEmpty();
            }
        }
    }

    private static List<List<Object>> run(String name, String... params) {
        try (LocalQueryEngine engine = new LocalQueryEngine(catalog, lake)) {
            return engine.run(catalog.namedQuery(name).orElseThrow().sql(), List.of(params))
                    .rows();
        }
    }
}
