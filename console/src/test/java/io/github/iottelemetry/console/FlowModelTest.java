package io.github.iottelemetry.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.iottelemetry.core.live.LiveMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlowModelTest {

    @TempDir
    Path folder;

    private void cloud(long at, long published, long actionsFailed, long shard0Put) throws Exception {
        Files.writeString(folder.resolve("local-cloud.json"), """
                {"process":"local-cloud","pid":1,"at":%d,"stopped":false,"values":{
                  "iot":{"connected":3,"publishesAccepted":%d,"publishesRefused":1,"ruleInvocations":%d,
                         "actionsSucceeded":%d,"actionsFailed":%d,
                         "kinesis":{"stream":{"shardId-0":{"put":%d,"refused":0,"queued":4}}}},
                  "lambda":{"mappings":{"IngestFunction/Telemetry":{"invocations":2,"recordsRead":%d,
                         "shards":{"shardId-0":{"recordsRead":%d,"iteratorAgeMs":120}}}},
                    "functionMetrics":{"ValidRecords":9.0,"QuarantinedRecords":1.0,
                         "QuarantinedByReason{Reason=MALFORMED_JSON}":1.0}}}}
                """.formatted(
                        at, published, published, published, actionsFailed, shard0Put, shard0Put, shard0Put));
    }

    private void worker(String name, long at, boolean stopped, long records, String dynamoSamples) throws Exception {
        Files.writeString(folder.resolve(name + ".json"), """
                {"process":"%s","pid":2,"at":%d,"stopped":%s,"values":{"recordsRead":%d,"windowsWritten":4,
                  "writeFailures":0,"shards":{"shardId-0":{"recordsRead":%d,"iteratorAgeMs":300,"owned":%s}},
                  "closeToDurable":{"DynamoDB":{"samples":[%s]},"Lake":{"samples":[]}}}}
                """.formatted(
                        name, at, stopped, records, records, !stopped, dynamoSamples));
    }

    private static JsonNode stage(JsonNode flow, String id) {
        for (JsonNode s : flow.path("stages")) {
            if (s.path("id").asText().equals(id)) {
                return s;
            }
        }
        throw new AssertionError("no stage " + id + " in " + flow);
    }

    private static JsonNode counter(JsonNode stage, String key) {
        for (JsonNode c : stage.path("counters")) {
            if (c.path("key").asText().equals(key)) {
                return c;
            }
        }
        throw new AssertionError("no counter " + key + " in " + stage);
    }

    @Test
    void ratesAreTheChangeOfTotalsBetweenReadsAndWorkersAddUp() throws Exception {
        FlowModel model = new FlowModel(folder);
        cloud(10_000, 100, 0, 100);
        worker("processor-a", 10_000, false, 60, "100,200");
        worker("processor-b", 10_000, true, 30, "900"); // stopped: its totals still count
        JsonNode first = model.read(10_000);
        assertThat(counter(stage(first, "broker"), "publishesAccepted")
                        .path("perSecond")
                        .isNull())
                .isTrue();

        cloud(12_000, 140, 0, 140);
        worker("processor-a", 12_000, false, 110, "100,200,300");
        JsonNode second = model.read(12_000);

        JsonNode broker = stage(second, "broker");
        assertThat(counter(broker, "publishesAccepted").path("total").asLong()).isEqualTo(140);
        assertThat(counter(broker, "publishesAccepted").path("perSecond").asDouble())
                .isEqualTo(20.0);
        assertThat(counter(broker, "connected").path("total").asLong()).isEqualTo(3);
        assertThat(model.connectedDevices(12_000)).isEqualTo(3L);
        assertThat(model.connectedDevices(12_000 + FlowModel.STALE_MILLIS + 1)).isNull();
        assertThat(broker.path("health").asText()).isEqualTo("ok");
        JsonNode processor = stage(second, "processor");
        assertThat(counter(processor, "workers").path("total").asLong()).isEqualTo(1);
        assertThat(counter(processor, "recordsRead").path("total").asLong()).isEqualTo(140);
        assertThat(counter(processor, "recordsRead").path("perSecond").asDouble())
                .isEqualTo(25.0);
        assertThat(counter(stage(second, "rules"), "queued").path("total").asLong())
                .isEqualTo(4);
        assertThat(counter(stage(second, "ingest"), "validRecords")
                        .path("total")
                        .asLong())
                .isEqualTo(9);

        JsonNode shard = second.path("shards").get(0);
        assertThat(shard.path("shard").asText()).isEqualTo("shardId-0");
        assertThat(shard.path("put").path("perSecond").asDouble()).isEqualTo(20.0);
        assertThat(shard.path("ingest").path("iteratorAgeMs").asLong()).isEqualTo(120);
        assertThat(shard.path("processor").path("iteratorAgeMs").asLong()).isEqualTo(300);
        assertThat(shard.path("processor").path("perSecond").asDouble()).isEqualTo(25.0);
        assertThat(shard.path("ingest").path("perSecond").asDouble()).isEqualTo(20.0);
        assertThat(second.path("quarantineByReason").get(0).path("reason").asText())
                .isEqualTo("MALFORMED_JSON");

        // Both workers' samples merged: 100, 200, 300, 900.
        JsonNode dynamo = second.path("lag").get(0);
        assertThat(dynamo.path("output").asText()).isEqualTo("DynamoDB");
        assertThat(dynamo.path("windows").asInt()).isEqualTo(4);
        assertThat(dynamo.path("p50").asLong()).isEqualTo(200);
        assertThat(dynamo.path("p99").asLong()).isEqualTo(900);
    }

    @Test
    void aFailureCounterThatRoseMakesTheStageFailingAndSilenceMakesItDown() throws Exception {
        FlowModel model = new FlowModel(folder);
        cloud(10_000, 100, 0, 100);
        model.read(10_000);
        cloud(11_000, 110, 2, 110);
        JsonNode failing = model.read(11_000);
        assertThat(stage(failing, "rules").path("health").asText()).isEqualTo("failing");
        assertThat(stage(failing, "rules").path("why").asText()).contains("actions failed");
        assertThat(stage(failing, "processor").path("health").asText()).isEqualTo("down");

        // The local cloud's snapshot is not renewed: after 5 s its stages are down.
        JsonNode quiet = model.read(11_000 + FlowModel.STALE_MILLIS + 1);
        assertThat(stage(quiet, "broker").path("health").asText()).isEqualTo("down");
    }

    @Test
    void readsWhatLiveMetricsWrites() throws Exception {
        try (LiveMetrics live = LiveMetrics.publish(
                folder, "local-cloud", () -> Map.of("iot", Map.of("publishesAccepted", 5L)), Duration.ofHours(1))) {
            // the first snapshot is written at once
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(live.file()));
        }
        JsonNode flow = new FlowModel(folder).read(System.currentTimeMillis());
        assertThat(counter(stage(flow, "broker"), "publishesAccepted")
                        .path("total")
                        .asLong())
                .isEqualTo(5);
        // closed: the last snapshot says stopped
        assertThat(stage(flow, "broker").path("health").asText()).isEqualTo("down");
    }
}
