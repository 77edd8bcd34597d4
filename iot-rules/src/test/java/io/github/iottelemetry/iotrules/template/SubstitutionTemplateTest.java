package io.github.iottelemetry.iotrules.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.iottelemetry.iotrules.IotSqlParseException;
import io.github.iottelemetry.iotrules.MessageContext;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SubstitutionTemplateTest {

    private static final MessageContext MESSAGE = MessageContext.builder(
                    "dt/telemetry/sim-000042",
                    "{\"deviceId\":\"sim-000042\",\"seq\":7,\"loc\":{\"x\":1},\"n\":null}"
                            .getBytes(StandardCharsets.UTF_8))
            .clientId("sim-000042")
            .timestampMillis(1763884801250L)
            .uuidSupplier(() -> "u-1")
            .build();

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', nullValues = "NONE", textBlock = """
            ${topic(3)}                                   | sim-000042
            ${topic()}/republish                          | dt/telemetry/sim-000042/republish
            raw/${topic(3)}/${seq}.json                   | raw/sim-000042/7.json
            ${timestamp()}                                | 1763884801250
            errors/${parse_time('yyyy-MM-dd', timestamp())}/x | errors/2025-11-23/x
            ${parse_time("yyyy-MM-dd'T'HH:mm:ss.SSSZ", 1520647200000)} | 2018-03-10T02:00:00.000+0000
            ${parse_time('HH:mm', timestamp(), 'Asia/Tokyo')} | 17:00
            ${parse_time('yyyy', timestamp(), 'No/Such_Zone')} | ''
            ${clientid()}-${newuuid()}                    | sim-000042-u-1
            ${loc}                                        | {"x":1}
            ${missing}                                    | ''
            ${n}                                          | ''
            ${get({'a': '}'}, 'a')}                       | }
            ${concat(deviceId, '#', seq)}                 | sim-000042#7
            plain text, no substitution                   | plain text, no substitution
            cost $5 and {braces}                          | cost $5 and {braces}
            ${upper(topic(2))}${seq + 1}                  | TELEMETRY8
            """)
    void rendersAgainstTheIncomingMessage(String template, String expected) {
        assertThat(SubstitutionTemplate.parse(template).render(MESSAGE)).isEqualTo(expected);
    }

    @Test
    void reportsTheErrorPositionInsideTheTemplate() {
        assertThatThrownBy(() -> SubstitutionTemplate.parse("raw/${topic(3)"))
                .isInstanceOf(IotSqlParseException.class)
                .hasMessage("col 15: expected '}' closing the substitution, found end of input");
        assertThatThrownBy(() -> SubstitutionTemplate.parse("k=${nosuch(1)}"))
                .hasMessageStartingWith("col 5: unknown function 'nosuch'");
    }

    @Test
    void constantTemplatesAreRecognised() {
        assertThat(SubstitutionTemplate.parse("telemetry").isConstant()).isTrue();
        assertThat(SubstitutionTemplate.parse("${topic(3)}").isConstant()).isFalse();
    }
}
