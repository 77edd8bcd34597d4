package io.github.iottelemetry.iotrules;

import static io.github.iottelemetry.iotrules.JsonAssertions.assertJsonEquals;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.iottelemetry.iotrules.template.SubstitutionTemplate;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The pipeline's own TopicRule (template.yaml, telemetry_to_kinesis) and the splice fast path that serves it. */
class PipelineRuleTest {

    private static final IotSqlStatement RULE =
            IotSqlStatement.parse("SELECT *, topic(3) AS thing, timestamp() AS ingestTs FROM 'dt/telemetry/+'");
    private static final SubstitutionTemplate PARTITION_KEY = SubstitutionTemplate.parse("${topic(3)}");
    private static final long INGEST_TS = 1_763_884_801_370L;

    private static MessageContext message(String topic, String payload) {
        return MessageContext.builder(topic, payload.getBytes(StandardCharsets.UTF_8))
                .clientId("sim-000042")
                .timestampMillis(INGEST_TS)
                .build();
    }

    @Test
    void addsThingAndIngestTimestampAndKeysByThing() {
        String payload =
                "{\"schema\":\"telemetry.v1\",\"deviceId\":\"sim-000042\",\"seq\":1287,\"sentAt\":1763884801250,"
                        + "\"readings\":[{\"ts\":1763884800000,\"m\":{\"temperature\":21.5,\"humidity\":40.20,\"battery\":3.71}}]}";
        MessageContext message = message("dt/telemetry/sim-000042", payload);
        assertThat(RULE.matches("dt/telemetry/sim-000042")).isTrue();
        assertThat(RULE.splicesSelectStar()).isTrue();

        byte[] record = RULE.evaluateToBytes(message).orElseThrow();
        assertThat(new String(record, StandardCharsets.UTF_8))
                .isEqualTo(payload.substring(0, payload.length() - 1)
                        + ",\"thing\":\"sim-000042\",\"ingestTs\":1763884801370}");
        assertThat(PARTITION_KEY.render(message)).isEqualTo("sim-000042");

        JsonNode tree = RULE.evaluate(message).orElseThrow();
        assertThat(tree.get("thing").asText()).isEqualTo("sim-000042");
        assertThat(tree.get("ingestTs").asLong()).isEqualTo(INGEST_TS);
        assertThat(tree.get("readings").get(0).get("m").get("humidity").decimalValue())
                .hasToString("40.20");
    }

    /** Whatever the payload, the bytes of the fast path are the JSON that the general tree path produces. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"deviceId\":\"sim-000042\",\"seq\":1}",
                "{}",
                "  {  }  ",
                "{\n  \"a\" : [1, {\"b\": \"}\"}],\n  \"c\": \"\\u00e9\\\"\"\n}\n",
                "{\"thing\":\"spoofed-by-device\",\"seq\":1}",
                "{\"ingestTs\":1,\"nested\":{\"thing\":\"x\"}}",
                "{\"dup\":1,\"dup\":2}",
                "{\"big\":123456789012345678901234567890.123456789,\"exp\":1e5,\"neg\":-0.0}",
                "{\"unicode\":\"Zürich ☃\"}",
                "[1,2,3]",
                "\"just a string\"",
                "42",
                ""
            })
    void splicePathEqualsGeneralPath(String payload) {
        for (String topic : new String[] {"dt/telemetry/sim-000042", "dt/telemetry/th\"ing\\é"}) {
            MessageContext forSplice = message(topic, payload);
            MessageContext forTree = message(topic, payload);
            byte[] spliced = RULE.evaluateToBytes(forSplice).orElseThrow();
            byte[] general = IotSqlStatement.toBytes(RULE.evaluate(forTree).orElseThrow());
            JsonNode generalTree = JsonAssertions.parse(general);
            assertJsonEquals(JsonAssertions.parse(spliced), generalTree, "payload " + payload + " on " + topic);
            assertThat(generalTree.get("thing").asText()).isEqualTo(topic.substring("dt/telemetry/".length()));
        }
    }

    /**
     * A binary (non-JSON) payload keeps its bytes under {@code SELECT *} even with added items: AWS IoT adds
     * data only to an empty or a JSON payload ("Working with binary payloads"). So a device's malformed JSON
     * reaches Kinesis as sent and is quarantined as MALFORMED_JSON.
     */
    @ParameterizedTest
    @ValueSource(strings = {"{\"truncated\":", "{\"a\":1} trailing", "{\"a\":1}{\"b\":2}", "not json at all"})
    void aBinaryPayloadPassesThroughUnchangedOnBothPaths(String payload) {
        MessageContext forSplice = message("dt/telemetry/sim-000042", payload);
        MessageContext forTree = message("dt/telemetry/sim-000042", payload);
        assertThat(RULE.evaluateToBytes(forSplice).orElseThrow()).isEqualTo(payload.getBytes(StandardCharsets.UTF_8));
        assertThat(IotSqlStatement.toBytes(RULE.evaluate(forTree).orElseThrow()))
                .isEqualTo(payload.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theThingComesFromTheTopicNeverFromThePayload() {
        JsonNode output = JsonAssertions.parse(
                RULE.evaluateToBytes(message("dt/telemetry/sim-000001", "{\"thing\":\"sim-999999\"}"))
                        .orElseThrow());
        assertThat(output.get("thing").asText()).isEqualTo("sim-000001");
    }

    @Test
    void basicIngestGivesTheSameRecordAsTheBrokerPath() {
        String seen = RULE.topicSeenByRule(
                        "telemetry_to_kinesis", "$aws/rules/telemetry_to_kinesis/dt/telemetry/sim-000042")
                .orElseThrow();
        MessageContext message = message(seen, "{\"seq\":1}");
        assertThat(new String(RULE.evaluateToBytes(message).orElseThrow(), StandardCharsets.UTF_8))
                .isEqualTo("{\"seq\":1,\"thing\":\"sim-000042\",\"ingestTs\":1763884801370}");
        assertThat(PARTITION_KEY.render(message)).isEqualTo("sim-000042");
    }

    @Test
    void whereOnMetadataKeepsTheFastPathAndWhereOnPayloadLeavesIt() {
        IotSqlStatement onClient =
                IotSqlStatement.parse("SELECT *, clientid() AS c FROM 'a/+' WHERE clientid() = topic(2)");
        assertThat(onClient.splicesSelectStar()).isTrue();
        assertThat(onClient.evaluateToBytes(message("a/sim-000042", "{}"))).isPresent();
        assertThat(onClient.evaluateToBytes(message("a/other", "{}"))).isEmpty();
        assertThat(IotSqlStatement.parse("SELECT *, 1 AS one FROM 'a/+' WHERE seq > 1")
                        .splicesSelectStar())
                .isFalse();
        assertThat(IotSqlStatement.parse("SELECT *, seq + 1 AS next FROM 'a/+'").splicesSelectStar())
                .isFalse();
    }
}
