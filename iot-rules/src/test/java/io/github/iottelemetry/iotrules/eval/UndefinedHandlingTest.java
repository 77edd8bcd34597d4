package io.github.iottelemetry.iotrules.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.iottelemetry.iotrules.IotSqlStatement;
import io.github.iottelemetry.iotrules.MessageContext;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Undefined per iot-sql-data-types and the operator and function tables: omitted from output, fails WHERE. */
class UndefinedHandlingTest {

    private static final String PAYLOAD =
            "{\"a\":1,\"s\":\"x\",\"n\":null,\"t\":\"TRUE\",\"d\":\"2.5\",\"o\":{\"k\":[10,20]},\"b\":true}";

    private static JsonNode output(String select) {
        MessageContext message = MessageContext.builder("x/y", PAYLOAD.getBytes(StandardCharsets.UTF_8))
                .timestampMillis(5)
                .build();
        return IotSqlStatement.parse("SELECT " + select + " FROM 'x/y'")
                .evaluate(message)
                .orElseThrow();
    }

    @ParameterizedTest(name = "{0} is Undefined")
    @CsvSource(delimiter = '|', textBlock = """
            missing
            missing.deeper
            o.k[5]
            o.k[-1]
            a + missing
            missing = 1
            missing <> 1
            a + b
            s - 1
            a / 0
            a % 0
            s > 1
            a AND true
            NOT a
            abs(s)
            abs(b)
            abs(n)
            floor([1,2,3])
            upper(n)
            lower(missing)
            concat()
            concat(s, n)
            get(o, 1)
            get(o.k, 'x')
            cast(n AS Int)
            cast(s AS Int)
            cast(s AS Boolean)
            principal()
            CASE missing WHEN 1 THEN 2 END
            CASE a WHEN 2 THEN 3 END
            -s
            """)
    void isOmittedFromTheOutput(String expression) {
        assertThat(output(expression + " AS r").has("r")).as(expression).isFalse();
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', textBlock = """
            a + 1.5              | 2.5
            d - 1                | 1.5
            d * 2                | 5
            a / 2                | 0
            7 % 3                | 1
            1.0 + 1              | 2
            t AND true           | true
            'false' OR false     | false
            NOT 'false'          | true
            n = n                | true
            n <> n               | false
            a = '1'              | false
            a <> '1'             | true
            a = 1.0              | true
            d > 2                | true
            o = {'k': [10, 20]}  | true
            [1, 2] = [2, 1]      | false
            s + 1                | "x1"
            1 + s                | "1x"
            -a                   | -1
            -(a + 1)             | -2
            isUndefined(missing) | true
            isNull(n)            | true
            cast(2.7 AS Int)     | 2
            cast('1.5' AS Decimal) | 1.5
            cast(0 AS Boolean)   | false
            cast(b AS String)    | "true"
            cast(o AS String)    | "{\\"k\\":[10,20]}"
            o.k[1]               | 20
            get(o.k, '1')        | 20
            n                    | null
            """)
    void followsTheOperatorAndConversionTables(String expression, String expectedJson) {
        JsonNode expected = Json.parsePayload(expectedJson.getBytes(StandardCharsets.UTF_8));
        JsonNode actual = output(expression + " AS r").get("r");
        assertThat(actual).as(expression).isNotNull();
        assertThat(Values.equal(actual, expected) && actual.getNodeType() == expected.getNodeType())
                .as("%s: expected %s, got %s", expression, expected, actual)
                .isTrue();
    }

    @Test
    void whereThatIsUndefinedOrNotBooleanDropsTheMessage() {
        MessageContext message = MessageContext.builder("x/y", PAYLOAD.getBytes(StandardCharsets.UTF_8))
                .build();
        assertThat(IotSqlStatement.parse("SELECT * FROM 'x/y' WHERE missing > 1")
                        .evaluate(message))
                .isEmpty();
        assertThat(IotSqlStatement.parse("SELECT * FROM 'x/y' WHERE a").evaluate(message))
                .isEmpty();
        assertThat(IotSqlStatement.parse("SELECT * FROM 'x/y' WHERE t").evaluate(message))
                .isPresent();
        assertThat(IotSqlStatement.parse("SELECT * FROM 'x/y' WHERE a = 1 AND s = 'x'")
                        .evaluate(message))
                .isPresent();
    }

    @Test
    void selectStarOnABinaryPayloadPassesTheRawBytes() {
        byte[] binary = {0, 1, 2, (byte) 0xff};
        MessageContext message = MessageContext.builder("x/y", binary).build();
        IotSqlStatement statement = IotSqlStatement.parse("SELECT * FROM 'x/y'");
        assertThat(statement.evaluateToBytes(message))
                .hasValueSatisfying(bytes -> assertThat(bytes).isEqualTo(binary));
        assertThat(IotSqlStatement.parse("SELECT a, topic() AS t FROM 'x/y'")
                        .evaluate(message)
                        .orElseThrow())
                .hasToString("{\"t\":\"x/y\"}");
    }

    @Test
    void outputNeverAliasesThePayloadTreeSharedByOtherRules() {
        MessageContext message = MessageContext.builder("x/y", PAYLOAD.getBytes(StandardCharsets.UTF_8))
                .build();
        JsonNode first =
                IotSqlStatement.parse("SELECT o FROM 'x/y'").evaluate(message).orElseThrow();
        ((com.fasterxml.jackson.databind.node.ObjectNode) first.get("o")).put("k", "changed by an action");
        JsonNode second =
                IotSqlStatement.parse("SELECT o FROM 'x/y'").evaluate(message).orElseThrow();
        assertThat(second.get("o").get("k").isArray()).isTrue();
    }
}
