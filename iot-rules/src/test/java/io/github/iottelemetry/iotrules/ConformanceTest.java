package io.github.iottelemetry.iotrules;

import static io.github.iottelemetry.iotrules.JsonAssertions.assertJsonEquals;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import io.github.iottelemetry.iotrules.eval.Json;
import io.github.iottelemetry.iotrules.functions.IotSqlFunction;
import io.github.iottelemetry.iotrules.functions.IotSqlFunctions;
import io.github.iottelemetry.iotrules.template.SubstitutionTemplate;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The examples of the AWS IoT SQL reference (each case cites its page): input message, SQL, documented output.
 * Fields: url, topic, payload (JSON) or payloadText (raw UTF-8, e.g. not JSON) or payloadBase64 (raw bytes), sql,
 * and expected (the output) or expectedBase64 (raw output bytes, for a binary payload under SELECT *) or
 * expectNoOutput (WHERE false) or triggered=false (the rule does not receive the message); optional ruleName
 * (Basic Ingest), clientId, principal, accountId, traceId, timestamp, uuids, randoms (what rand() returns),
 * template + expectedRender (a substitution template on the same message), note (why a case differs from the page).
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
                cases.add(Arguments.of(
                        number++ + ": " + c.get("sql").asText() + " <- "
                                + c.get("url").asText(),
                        c));
            }
            return cases.stream();
        }
    }

    /** The issue's bar: no implemented function without a case, and every case cites a page of the reference. */
    @Test
    void everyImplementedFunctionHasACaseThatCitesTheReference() throws IOException {
        List<JsonNode> all =
                cases().map(arguments -> (JsonNode) arguments.get()[1]).toList();
        for (JsonNode c : all) {
            assertThat(c.get("url").asText()).startsWith("https://docs.aws.amazon.com/iot/latest/developerguide/");
        }
        for (IotSqlFunction function : IotSqlFunctions.all()) {
            Pattern call = Pattern.compile("(?i)\\b" + Pattern.quote(function.name()) + "\\s*\\(");
            assertThat(all)
                    .as("a conformance case calling %s", function.signature())
                    .anyMatch(c -> call.matcher(c.get("sql").asText() + " "
                                    + c.path("template").asText())
                            .find());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void documentedExample(String name, JsonNode c) {
        IotSqlStatement statement = IotSqlStatement.parse(c.get("sql").asText());
        String ruleName = c.path("ruleName").asText("conformance_rule");
        Optional<String> seenTopic =
                statement.topicSeenByRule(ruleName, c.get("topic").asText());
        if (!c.path("triggered").asBoolean(true)) {
            assertThat(seenTopic)
                    .as("rule must not receive a message on %s", c.get("topic"))
                    .isEmpty();
            return;
        }
        assertThat(seenTopic)
                .as("rule must receive a message on %s", c.get("topic"))
                .isPresent();

        Optional<JsonNode> output = statement.evaluate(message(c, seenTopic.get()));
        Optional<byte[]> bytes = statement.evaluateToBytes(message(c, seenTopic.get()));
        if (c.path("expectNoOutput").asBoolean(false)) {
            assertThat(output).isEmpty();
            assertThat(bytes).isEmpty();
            return;
        }
        assertThat(output).isPresent();
        assertThat(bytes).isPresent();
        if (c.has("expectedBase64")) {
            byte[] expected = Base64.getDecoder().decode(c.get("expectedBase64").asText());
            assertThat(output.get()).isInstanceOf(BinaryNode.class);
            assertThat(IotSqlStatement.toBytes(output.get())).as(name).isEqualTo(expected);
            assertThat(bytes.get()).as(name + " (as bytes)").isEqualTo(expected);
        } else {
            assertJsonEquals(output.get(), c.get("expected"), name);
            assertJsonEquals(JsonAssertions.parse(bytes.get()), c.get("expected"), name + " (as bytes)");
        }

        if (c.has("template")) {
            String rendered =
                    SubstitutionTemplate.parse(c.get("template").asText()).render(message(c, seenTopic.get()));
            assertThat(rendered).isEqualTo(c.get("expectedRender").asText());
        }
    }

    private static MessageContext message(JsonNode c, String seenTopic) {
        MessageContext.Builder builder = MessageContext.builder(seenTopic, payload(c))
                .timestampMillis(c.path("timestamp").asLong(1_763_884_800_000L))
                .accountId(c.path("accountId").textValue())
                .traceId(c.path("traceId").textValue());
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
        Deque<Double> randoms = new ArrayDeque<>();
        c.path("randoms").forEach(r -> randoms.add(r.asDouble()));
        builder.randomSupplier(() -> {
            if (randoms.isEmpty()) {
                throw new AssertionError("case called rand() more often than its randoms list allows");
            }
            return randoms.poll();
        });
        return builder.build();
    }

    private static byte[] payload(JsonNode c) {
        if (c.has("payloadText")) {
            return c.get("payloadText").asText().getBytes(StandardCharsets.UTF_8);
        }
        if (c.has("payloadBase64")) {
            return Base64.getDecoder().decode(c.get("payloadBase64").asText());
        }
        return Json.writeBytes(c.get("payload"));
    }
}
