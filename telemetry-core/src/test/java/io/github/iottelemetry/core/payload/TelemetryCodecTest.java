package io.github.iottelemetry.core.payload;

import static io.github.iottelemetry.core.support.Messages.T0;
import static io.github.iottelemetry.core.support.Messages.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.iottelemetry.core.support.Messages;
import io.github.iottelemetry.core.validation.InvalidTelemetryException;
import io.github.iottelemetry.core.validation.ReasonCode;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class TelemetryCodecTest {

    @Test
    void roundTripsTheDesignExample() throws Exception {
        String json = """
                {
                  "schema": "telemetry.v1",
                  "deviceId": "sim-000042",
                  "seq": 1287,
                  "sentAt": 1763884801250,
                  "readings": [
                    {"ts": 1763884800000, "m": {"temperature": 21.5, "humidity": 40.2, "battery": 3.71}},
                    {"ts": 1763884801000, "m": {"temperature": 21.6, "humidity": 40.1, "battery": 3.71}}
                  ]
                }""";
        TelemetryMessage m = TelemetryCodec.decode(utf8(json));
        assertThat(m.deviceId()).isEqualTo("sim-000042");
        assertThat(m.seq()).isEqualTo(1287);
        assertThat(m.sentAt()).isEqualTo(1763884801250L);
        assertThat(m.readings()).hasSize(2);
        assertThat(m.readings().get(1).metrics())
                .containsExactly(
                        Map.entry("temperature", 21.6), Map.entry("humidity", 40.1), Map.entry("battery", 3.71));
        assertThat(m.thing()).isNull();
        assertThat(m.ingestTs()).isNull();
        assertThat(TelemetryCodec.decode(TelemetryCodec.encode(m))).isEqualTo(m);
    }

    @Test
    void encodesRuleFieldsOnlyWhenPresent() throws Exception {
        TelemetryMessage device = TelemetryMessage.fromDevice("d-1", 1, T0, Messages.readings(1, T0, 1000));
        assertThat(new String(TelemetryCodec.encode(device)))
                .doesNotContain("thing")
                .doesNotContain("ingestTs");
        TelemetryMessage viaRule = device.withIngest("d-1", T0 + 5);
        TelemetryMessage decoded = TelemetryCodec.decode(TelemetryCodec.encode(viaRule));
        assertThat(decoded.thing()).isEqualTo("d-1");
        assertThat(decoded.ingestTs()).isEqualTo(T0 + 5);
    }

    @Test
    void toleratesUnknownTopLevelFields() throws Exception {
        byte[] json = utf8("{\"schema\":\"telemetry.v1\",\"firmware\":{\"v\":[1,2,{\"x\":null}]},\"deviceId\":\"a\","
                + "\"seq\":1,\"sentAt\":5,\"readings\":[{\"ts\":5,\"m\":{\"t\":1}}],\"topic\":\"dt/telemetry/a\"}");
        assertThat(TelemetryCodec.decode(json).deviceId()).isEqualTo("a");
    }

    @Test
    void acceptsIntegerMetricValues() throws Exception {
        TelemetryMessage m = TelemetryCodec.decode(Messages.record("a", "a", "[{\"ts\":1,\"m\":{\"count\":42}}]"));
        assertThat(m.readings().get(0).value("count")).isEqualTo(42.0);
    }

    @Test
    void rejectsWrongTypesWithTheFieldPath() {
        assertSchema(
                "{\"schema\":\"telemetry.v1\",\"deviceId\":\"a\",\"seq\":\"1\",\"sentAt\":5,\"readings\":[]}",
                "seq: expected a non-negative integer, got string \"1\"");
        assertSchema(
                "{\"schema\":\"telemetry.v1\",\"deviceId\":\"a\",\"seq\":1.5,\"sentAt\":5,\"readings\":[]}",
                "seq: expected a non-negative integer, got number 1.5");
        assertSchema(
                "{\"schema\":\"telemetry.v1\",\"deviceId\":42,\"seq\":1,\"sentAt\":5,\"readings\":[]}",
                "deviceId: expected a string, got number 42");
        assertSchema(
                "{\"schema\":\"telemetry.v1\",\"deviceId\":\"a\",\"seq\":1,\"sentAt\":5,\"readings\":{}}",
                "readings: expected an array, got an object");
        assertSchema(
                "{\"schema\":\"telemetry.v1\",\"deviceId\":\"a\",\"seq\":99999999999999999999,\"sentAt\":5,\"readings\":[]}",
                "seq: value 99999999999999999999 is out of range");
        assertSchema(
                "{\"schema\":\"telemetry.v1\",\"deviceId\":\"a\",\"seq\":-3,\"sentAt\":5,\"readings\":[]}",
                "seq: expected a non-negative integer, got -3");
    }

    @Test
    void rejectsMissingFields() {
        assertSchema("{\"deviceId\":\"a\",\"seq\":1,\"sentAt\":5,\"readings\":[]}", "schema: missing");
        assertSchema("{\"schema\":\"telemetry.v1\",\"seq\":1,\"sentAt\":5,\"readings\":[]}", "deviceId: missing");
        assertSchema("{\"schema\":\"telemetry.v1\",\"deviceId\":\"a\",\"sentAt\":5,\"readings\":[]}", "seq: missing");
        assertSchema("{\"schema\":\"telemetry.v1\",\"deviceId\":\"a\",\"seq\":1,\"readings\":[]}", "sentAt: missing");
        assertSchema("{\"schema\":\"telemetry.v1\",\"deviceId\":\"a\",\"seq\":1,\"sentAt\":5}", "readings: missing");
        assertSchema(
                "{\"schema\":\"telemetry.v1\",\"deviceId\":\"a\",\"seq\":1,\"sentAt\":5,\"readings\":[{\"m\":{\"t\":1}}]}",
                "readings[0].ts: missing");
        assertSchema(
                "{\"schema\":\"telemetry.v1\",\"deviceId\":\"a\",\"seq\":1,\"sentAt\":5,\"readings\":[{\"ts\":1}]}",
                "readings[0].m: missing");
    }

    @Property(tries = 2000)
    void decodesEveryNumberExactlyAsJavaParsesIt(@ForAll("numberTexts") String text) throws Exception {
        TelemetryMessage m =
                TelemetryCodec.decode(Messages.record("a", "a", "[{\"ts\":1,\"m\":{\"v\":" + text + "}}]"));
        assertThat(m.readings().get(0).value("v")).isEqualTo(Double.parseDouble(text));
    }

    @Provide
    Arbitrary<String> numberTexts() {
        Arbitrary<String> decimals = Combinators.combine(
                        Arbitraries.of("", "-"),
                        Arbitraries.longs().between(0, 999_999_999_999_999L),
                        Arbitraries.integers().between(0, 17))
                .as((sign, digits, scale) -> {
                    String d = Long.toString(digits);
                    if (scale == 0) {
                        return sign + d;
                    }
                    while (d.length() <= scale) {
                        d = "0" + d;
                    }
                    return sign + d.substring(0, d.length() - scale) + "." + d.substring(d.length() - scale);
                });
        Arbitrary<String> doubles = Arbitraries.doubles()
                .map(d -> Double.toString(d))
                .filter(s -> !s.contains("Infinity") && !s.contains("NaN"));
        return Arbitraries.oneOf(
                decimals,
                doubles,
                Arbitraries.of(
                        "0.1",
                        "-0.0",
                        "0.30000000000000004",
                        "1e3",
                        "2.5E-3",
                        "12345678901234567890",
                        "9007199254740993",
                        "123456789012345.6",
                        "1.7976931348623157E308",
                        "4.9E-324"));
    }

    @Test
    void rejectsAnotherSchemaVersion() {
        assertSchema(
                "{\"schema\":\"telemetry.v2\",\"deviceId\":\"a\",\"seq\":1,\"sentAt\":5,\"readings\":[]}",
                "schema: expected \"telemetry.v1\", got \"telemetry.v2\"");
    }

    @Test
    void rejectsDuplicateFields() {
        assertSchema(
                "{\"schema\":\"telemetry.v1\",\"seq\":1,\"seq\":2,\"deviceId\":\"a\",\"sentAt\":5,\"readings\":[]}",
                "seq: appears more than once");
        assertSchema(
                "{\"schema\":\"telemetry.v1\",\"deviceId\":\"a\",\"seq\":1,\"sentAt\":5,\"readings\":[{\"ts\":1,\"ts\":2}]}",
                "readings[0].ts: appears more than once");
        assertSchema(
                "{\"schema\":\"telemetry.v1\",\"deviceId\":\"a\",\"seq\":1,\"sentAt\":5,\"readings\":[{\"ts\":1,\"m\":{\"t\":1,\"u\":2,\"t\":3}}]}",
                "readings[0].m.t: appears more than once");
        assertSchema(
                "{\"schema\":\"telemetry.v1\",\"deviceId\":\"a\",\"seq\":1,\"sentAt\":5,\"readings\":[{\"ts\":1,\"m\":{\"t\":1},\"m\":{\"t\":1}}]}",
                "readings[0].m: appears more than once");
    }

    @Test
    void rejectsTrailingContent() {
        assertThatThrownBy(
                        () -> TelemetryCodec.decode(
                                utf8(
                                        "{\"schema\":\"telemetry.v1\",\"deviceId\":\"a\",\"seq\":1,\"sentAt\":5,\"readings\":[{\"ts\":1,\"m\":{\"t\":1}}]} {}")))
                .isInstanceOfSatisfying(
                        InvalidTelemetryException.class,
                        e -> assertThat(e.reason()).isEqualTo(ReasonCode.MALFORMED_JSON));
    }

    @Test
    void rejectsANonObjectRoot() {
        assertSchema("[1,2,3]", "$: expected a JSON object, got an array");
    }

    private static void assertSchema(String json, String detail) {
        assertThatThrownBy(() -> TelemetryCodec.decode(utf8(json)))
                .isInstanceOfSatisfying(InvalidTelemetryException.class, e -> {
                    assertThat(e.reason()).isEqualTo(ReasonCode.SCHEMA_VIOLATION);
                    assertThat(e.detail()).isEqualTo(detail);
                });
    }
}
