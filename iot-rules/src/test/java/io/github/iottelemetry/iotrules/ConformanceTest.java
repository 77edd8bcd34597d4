package io.github.iottelemetry.iotrules;

import static io.github.iottelemetry.iotrules.JsonAssertions.assertJsonEquals;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.iottelemetry.iotrules.eval.Json;
import io.github.iottelemetry.iotrules.template.SubstitutionTemplate;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The examples of the AWS IoT SQL reference (each case cites its page): input message, SQL, documented output.
 * Fields: url, topic, payload, sql, and expected (the output) or expectNoOutput (WHERE false) or
 * triggered=false (the rule does not receive the message); optional ruleName (Basic Ingest), clientId,
 * principal, timestamp, uuids, template + expectedRender (a substitution template on the same message).
 * Every triggered case is checked through both {@code evaluate} and {@code evaluateToBytes}.
 */
class ConformanceTest {

    private static final String CASES = "/conformance/aws-iot-sql-reference.json";

    static Stream<Arguments> cases() throws IOException {
        try (InputStream in = ConformanceTest.class.getResourceAsStream(CASES)) {
            JsonNode all = Json.MAPPER.readTree(in);
            List<Arguments> cases = new ArrayList<>();
            int number = 1;
            for (JsonNode c : all) {
                cases.add(Arguments.of(number++ + ": " + c.get("sql").asText() + " <- " + c.get("url").asText(), c));
            }
            return cases.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void documentedExample(String name, JsonNode c) {
        IotSqlStatement statement = IotSqlStatement.parse(c.get("sql").asText());
        String ruleName = c.path("ruleName").asText("conformance_rule");
        Optional<String> seenTopic = statement.topicSeenByRule(ruleName, c.get("topic").asText());
        if (!c.path("triggered").asBoolean(true)) {
            assertThat(seenTopic).as("rule must not receive a message on %s", c.get("topic")).isEmpty();
            return;
        }
        assertThat(seenTopic).as("rule must receive a message on %s", c.get("topic")).isPresent();

        Optional<JsonNode> output = statement.evaluate(message(c, seenTopic.get()));
        Optional<byte[]> bytes = statement.evaluateToBytes(message(c, seenTopic.get()));
        if (c.path("expectNoOutput").asBoolean(false)) {
            assertThat(output).isEmpty();
            assertThat(bytes).isEmpty();
            return;
        }
        assertThat(output).isPresent();
        assertJsonEquals(output.get(), c.get("expected"), name);
        assertThat(bytes).isPresent();
        assertJsonEquals(JsonAssertions.parse(bytes.get()), c.get("expected"), name + " (as bytes)");

        if (c.has("template")) {
            String rendered = SubstitutionTemplate.parse(c.get("template").asText()).render(message(c, seenTopic.get()));
            assertThat(rendered).isEqualTo(c.get("expectedRender").asText());
        }
    }

    private static MessageContext message(JsonNode c, String seenTopic) {
        MessageContext.Builder builder = MessageContext.builder(seenTopic, Json.writeBytes(c.get("payload")))
                .timestampMillis(c.path("timestamp").asLong(1_763_884_800_000L));
        if (c.has("clientId")) {
            builder.clientId(c.get("clientId").asText());
        }
        if (c.has("principal")) {
            builder.principal(c.get("principal").asText());
        }
        Deque<String> uuids = new ArrayDeque<>();
        c.path("uuids").forEach(u -> uuids.add(u.asText()));
        builder.uuidSupplier(() -> {
            if (uuids.isEmpty()) {
                throw new AssertionError("case called newuuid() more often than its uuids list allows");
            }
            return uuids.poll();
        });
        return builder.build();
    }
}
