package io.github.iottelemetry.localcloud.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedMetricsCaptureTest {

    @TempDir
    Path folder;

    /** Two lines as Powertools Metrics prints them for one batch of the ingest function. */
    private static final String BATCH =
            "{\"_aws\":{\"Timestamp\":1,\"CloudWatchMetrics\":[{\"Namespace\":\"IotTelemetry\","
                    + "\"Metrics\":[{\"Name\":\"ValidRecords\",\"Unit\":\"Count\"},{\"Name\":\"QuarantinedRecords\",\"Unit\":\"Count\"}],"
                    + "\"Dimensions\":[[\"Service\"]]}]},\"Service\":\"ingest\",\"ValidRecords\":7.0,\"QuarantinedRecords\":2.0}";

    private static final String BY_REASON =
            "{\"_aws\":{\"Timestamp\":1,\"CloudWatchMetrics\":[{\"Namespace\":\"IotTelemetry\","
                    + "\"Metrics\":[{\"Name\":\"QuarantinedByReason\",\"Unit\":\"Count\"}],\"Dimensions\":[[\"Reason\"]]}]},"
                    + "\"Reason\":\"MALFORMED_JSON\",\"QuarantinedByReason\":[1.0,1.0]}";

    @Test
    void metricLinesAreSummedByNameAndDimensionAndKeptOffTheTerminal() throws Exception {
        EmbeddedMetricsCapture capture = new EmbeddedMetricsCapture(folder.resolve("emf.log"));
        ByteArrayOutputStream terminal = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(
                EmbeddedMetricsCapture.filter(new PrintStream(terminal, true, StandardCharsets.UTF_8), capture),
                true,
                StandardCharsets.UTF_8);

        out.println("==> a line of the demo");
        out.println(BATCH);
        out.println(BATCH);
        out.println(BY_REASON);
        out.println("{\"level\":\"INFO\",\"message\":\"a JSON log line is not a metric\"}");
        out.println("{\"_aws\": not json");

        assertThat(capture.snapshot())
                .containsEntry("ValidRecords", 14.0)
                .containsEntry("QuarantinedRecords", 4.0)
                .containsEntry("QuarantinedByReason{Reason=MALFORMED_JSON}", 2.0)
                .containsEntry("lines", 3L)
                .containsEntry("unreadableLines", 1L);
        assertThat(terminal.toString(StandardCharsets.UTF_8))
                .isEqualTo("==> a line of the demo\n"
                        + "{\"level\":\"INFO\",\"message\":\"a JSON log line is not a metric\"}\n");
        assertThat(Files.readAllLines(folder.resolve("emf.log"))).hasSize(4).contains(BATCH, BY_REASON);
    }

    @Test
    void aPromptWithoutLineEndReachesTheTerminalWhenFlushed() {
        EmbeddedMetricsCapture capture = new EmbeddedMetricsCapture(folder.resolve("emf.log"));
        ByteArrayOutputStream terminal = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(
                EmbeddedMetricsCapture.filter(new PrintStream(terminal, true, StandardCharsets.UTF_8), capture),
                false,
                StandardCharsets.UTF_8);

        out.print("{");
        out.flush();
        out.print("continue? ");
        out.flush();

        assertThat(terminal.toString(StandardCharsets.UTF_8)).isEqualTo("{continue? ");
        assertThat(capture.snapshot()).containsEntry("lines", 0L);
    }
}
