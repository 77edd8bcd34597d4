package io.github.iottelemetry.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server's own rules, without engines: a DynamoDB endpoint nobody listens on shows how failures are reported. */
class ConsoleServerTest {

    @TempDir
    Path state;

    private ConsoleServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        Files.createDirectories(state.resolve("live-metrics"));
        Map<String, String> env = Map.of(
                "LOCAL_CLOUD_STATE", state.toString(),
                "AWS_REGION", "us-east-1",
                "AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:9", // discard port: refused
                "AWS_ACCESS_KEY_ID", "test",
                "AWS_SECRET_ACCESS_KEY", "test",
                "DEVICE_STATE_TABLE", "t-device-state",
                "AGGREGATES_TABLE", "t-aggregates",
                "LAKE_BUCKET", "lake");
        Path template = Path.of("..", "template.yaml").toAbsolutePath().normalize();
        server = ConsoleServer.start(ConsoleData.local(template, "iot-telemetry-local", env), "127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(server.url() + path.substring(1)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void thePageAndItsAssetsComeFromTheConsoleWithAPolicyThatForbidsInlineScript() throws Exception {
        HttpResponse<String> page = get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy"))
                .hasValue(ConsoleServer.CONTENT_SECURITY_POLICY)
                .get()
                .asString()
                .contains("script-src 'self'")
                .doesNotContain("unsafe-inline");
        assertThat(page.body()).contains("/assets/uplot/uPlot.iife.min.js").doesNotContain("http://", "https://");
        HttpResponse<String> uplot = get("/assets/uplot/uPlot.iife.min.js");
        assertThat(uplot.statusCode()).isEqualTo(200);
        assertThat(uplot.body()).contains("uPlot");
        assertThat(get("/app.js").statusCode()).isEqualTo(200);
        assertThat(get("/assets/uplot/uPlot.min.css").statusCode()).isEqualTo(200);
    }

    @Test
    void failuresAnswerWithWhatFailed() throws Exception {
        HttpResponse<String> devices = get("/api/devices");
        assertThat(devices.statusCode()).isEqualTo(502);
        assertThat(devices.body()).startsWith("{\"error\":").contains("t-device-state", "http://127.0.0.1:9");

        HttpResponse<String> unknown = get("/api/queries/no-such-query");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("no named query 'no-such-query'");

        HttpResponse<String> wrongCount = get("/api/queries/fleet-metric-range?p=2026-12-03");
        assertThat(wrongCount.statusCode()).isEqualTo(400);
        assertThat(wrongCount.body()).contains("takes 2 parameter(s), got 1");

        assertThat(get("/api/series-of-nothing").statusCode()).isEqualTo(404);
        assertThat(get("/api/info").body()).contains("\"mode\":\"local\"", "\"flow\":true");
    }

    @Test
    void aRequestForAnotherHostNameIsRefused() throws Exception {
        // What a page elsewhere sends after rebinding its DNS name to 127.0.0.1.
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET /api/info HTTP/1.1\r\nHost: attacker.example:" + server.port()
                            + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(response).startsWith("HTTP/1.1 403").doesNotContain("\"mode\"");
        }
        assertThat(get("/api/info").statusCode()).isEqualTo(200);
    }
}
