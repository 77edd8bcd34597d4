package io.github.iottelemetry.processor.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class CloseToDurableLagTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ByteArrayOutputStream metrics = new ByteArrayOutputStream();
    private final List<String> summaries = new ArrayList<>();
    private final CloseToDurableLag lag = new CloseToDurableLag(
            "IotTelemetry/test",
            Duration.ofMinutes(1),
            new PrintStream(metrics, true, StandardCharsets.UTF_8),
            summaries::add);

    @Test
    void theLagIsDurableTimeMinusTheMomentTheWindowBecameWritablePerOutputAsEmbeddedMetrics() throws Exception {
        long ready = 665_000; // a window ending at 660,000 with 5 s allowed lateness
        lag.durable(List.of(ready), CloseToDurableLag.Output.DYNAMODB, List.of(665_400L));
        lag.durable(List.of(ready), CloseToDurableLag.Output.LAKE, List.of(665_900L));
        lag.durable(
                List.of(ready),
                CloseToDurableLag.Output.DYNAMODB,
                List.of(663_000L)); // written before it closed: no sample
        lag.flush(700_000);

        List<JsonNode> lines = lines();
        assertThat(lines).hasSize(2);
        JsonNode dynamo = lines.get(0);
        assertThat(dynamo.at("/_aws/Timestamp").asLong()).isEqualTo(700_000);
        assertThat(dynamo.at("/_aws/CloudWatchMetrics/0/Namespace").asText()).isEqualTo("IotTelemetry/test");
        assertThat(dynamo.at("/_aws/CloudWatchMetrics/0/Dimensions/0/0").asText())
                .isEqualTo("Output");
        assertThat(dynamo.at("/_aws/CloudWatchMetrics/0/Metrics/0/Name").asText())
                .isEqualTo("WindowCloseToDurable");
        assertThat(dynamo.at("/_aws/CloudWatchMetrics/0/Metrics/0/Unit").asText())
                .isEqualTo("Milliseconds");
        assertThat(dynamo.get("Output").asText()).isEqualTo("DynamoDB");
        assertThat(dynamo.get("WindowCloseToDurable").toString()).isEqualTo("[400]");
        assertThat(lines.get(1).get("Output").asText()).isEqualTo("Lake");
        assertThat(lines.get(1).get("WindowCloseToDurable").toString()).isEqualTo("[900]");
        assertThat(summaries)
                .containsExactly("window close -> durable: DynamoDB p50 400 ms, p99 400 ms (1 windows);"
                        + " Lake p50 900 ms, p99 900 ms (1 windows)");
    }

    @Test
    void manySamplesGoOutAHundredALineAndFlushOnceTheIntervalHasPassed() throws Exception {
        List<Long> readyAt = IntStream.range(0, 250).mapToObj(i -> 65_000L).toList();
        lag.durable(readyAt.subList(0, 1), CloseToDurableLag.Output.DYNAMODB, List.of(65_000L)); // starts the interval
        assertThat(metrics.size()).isZero();
        lag.durable(
                readyAt.subList(1, 250),
                CloseToDurableLag.Output.DYNAMODB,
                Collections.nCopies(249, 125_000L)); // 60 s later: flushes
        List<JsonNode> lines = lines();
        assertThat(lines).hasSize(3);
        assertThat(lines.stream().mapToInt(l -> l.get("WindowCloseToDurable").size()))
                .containsExactly(100, 100, 50);
        assertThat(summaries).singleElement().asString().contains("DynamoDB p50 60000 ms, p99 60000 ms (250 windows)");
        lag.flush(130_000);
        assertThat(lines()).as("nothing new to send").hasSize(3);
    }

    @Test
    void eachWindowHasItsOwnDurableTimesAndBothOutputsOfABatchGoIntoTheSameInterval() throws Exception {
        lag.durable(List.of(65_000L), CloseToDurableLag.Output.DYNAMODB, List.of(65_100L)); // starts the interval
        // 60 s later: a batch whose DynamoDB items were durable one by one, each lake object after its items
        lag.durable(
                List.of(125_000L, 125_000L, 124_000L),
                List.of(125_200L, 125_500L, 125_900L),
                List.of(125_600L, 125_600L, 126_000L));
        List<JsonNode> lines = lines();
        assertThat(lines).extracting(l -> l.get("Output").asText()).containsExactly("DynamoDB", "Lake");
        assertThat(lines.get(0).get("WindowCloseToDurable").toString()).isEqualTo("[100,200,500,1900]");
        assertThat(lines.get(1).get("WindowCloseToDurable").toString()).isEqualTo("[600,600,2000]");
    }

    @Test
    void percentilesAreNearestRank() {
        List<Long> sorted =
                IntStream.rangeClosed(1, 100).mapToObj(Long::valueOf).toList();
        assertThat(CloseToDurableLag.percentile(sorted, 0.50)).isEqualTo(50);
        assertThat(CloseToDurableLag.percentile(sorted, 0.99)).isEqualTo(99);
        assertThat(CloseToDurableLag.percentile(List.of(7L), 0.99)).isEqualTo(7);
    }

    private List<JsonNode> lines() throws Exception {
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : metrics.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                nodes.add(JSON.readTree(line));
            }
        }
        return nodes;
    }
}
