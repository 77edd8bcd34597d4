package io.github.iottelemetry.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.github.iottelemetry.query.engine.AthenaQueryEngine;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.athena.AthenaClient;

/**
 * The Athena path against moto_server's Athena API (start, poll, results with the header row), on a
 * free 127.0.0.1 port. Skipped, visibly, where moto_server is not installed.
 */
class AthenaQueryEngineTest {
    private static Process moto;
    private static int port;

    @BeforeAll
    static void startMoto() throws Exception {
        Path motoServer = findOnPath("moto_server");
        assumeThat(motoServer)
                .as("moto_server is not on PATH, so the Athena path was NOT tested")
                .isNotNull();
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        moto = new ProcessBuilder(motoServer.toString(), "-H", "127.0.0.1", "-p", String.valueOf(port))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        HttpClient http = HttpClient.newHttpClient();
        URI motoApi = URI.create("http://127.0.0.1:" + port + "/moto-api/");
        Awaitility.await("moto_server answering on " + motoApi + " within 30 s")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .ignoreExceptionsInstanceOf(IOException.class)
                .until(() -> http.send(HttpRequest.newBuilder(motoApi).build(), HttpResponse.BodyHandlers.discarding())
                        != null);
    }

    @AfterAll
    static void stopMoto() {
        if (moto != null) {
            moto.destroy();
        }
    }

    @Test
    void runsAQueryAndReadsItsRowsWithoutTheHeader() throws Exception {
        String results = """
                {"account_id": "123456789012", "region": "us-east-1", "results": [{
                  "rows": [{"Data": [{"VarCharValue": "reason"}, {"VarCharValue": "records"}]},
                           {"Data": [{"VarCharValue": "LATE"}, {"VarCharValue": "3"}]},
                           {"Data": [{"VarCharValue": "TOO_LARGE"}, {"VarCharValue": "1"}]}],
                  "column_info": [{"Name": "reason", "Type": "varchar", "CatalogName": "hive", "SchemaName": "demo_telemetry",
                                   "TableName": "quarantine", "Label": "reason", "Precision": 0, "Scale": 0, "Nullable": "UNKNOWN",
                                   "CaseSensitive": true},
                                  {"Name": "records", "Type": "bigint", "CatalogName": "hive", "SchemaName": "demo_telemetry",
                                   "TableName": "quarantine", "Label": "records", "Precision": 0, "Scale": 0, "Nullable": "UNKNOWN",
                                   "CaseSensitive": false}]}]}""";
        HttpResponse<String> queued = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(
                                        "http://127.0.0.1:" + port + "/moto-api/static/athena/query-results"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(results))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(queued.statusCode()).isEqualTo(201);
        try (AthenaClient athena = AthenaClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + port))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .build()) {
            athena.createWorkGroup(b -> b.name("demo-telemetry")
                    .configuration(c -> c.resultConfiguration(r -> r.outputLocation("s3://demo-athena-results/"))));
            AthenaQueryEngine.Execution e = new AthenaQueryEngine(athena, "demo-telemetry", "demo_telemetry")
                    .run(
                            "SELECT reason, count(*) AS records FROM quarantine WHERE dt BETWEEN ? AND ? GROUP BY reason",
                            List.of("2026-11-01", "2026-11-30"),
                            Duration.ofSeconds(30));
            assertThat(e.result().columns()).containsExactly("reason", "records");
            assertThat(e.result().rows()).containsExactly(List.of("LATE", "3"), List.of("TOO_LARGE", "1"));
            assertThat(e.queryExecutionId()).isNotBlank();
        }
    }

    private static Path findOnPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }
}
