package io.github.iottelemetry.core.payload;

import static io.github.iottelemetry.core.support.Messages.T0;
import static io.github.iottelemetry.core.support.Messages.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.iottelemetry.core.support.Messages;
import io.github.iottelemetry.core.validation.InvalidTelemetryException;
import io.github.iottelemetry.core.validation.ReasonCode;
import java.util.Map;
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
                .containsExactly(Map.entry("temperature", 21.6), Map.entry("humidity", 40.1), Map.entry("battery", 3.71));
        assertThat(m.thing()).isNull();
        assertThat(m.ingestTs()).isNull();
        assertThat(TelemetryCodec.decode(TelemetryCodec.encode(m))).isEqualTo(m);
    }

    @Test
    void encodesRuleFieldsOnlyWhenPresent() throws Exception {
        TelemetryMessage device = TelemetryMessage.fromDevice("d-1", 1, T0, Messages.readings(1, T0, 1000));
        assertThat(new String(TelemetryCodec.encode(device))).doesNotContain("thing").doesNotContain("ingestTs");
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
        assertSchema("{\"schema\":\"telemetry.v1\",\"deviceId\":\"a\",\"seq\":\"1\",\"sentAt\":5,\"readings\":[]}",
                "seq: expected a non-negative integer, got string \"1\"");
        assertSchema("{\"schema\":\"telemetry.v1\",\"deviceId\":\"a\",\"seq\":1.5,\"sentAt\":5,\"readings\":[]}",
                "seq: expected a non-negative integer, got number 1.5");
        assertSchema("{\"schema\":\"telemetry.v1\",\"deviceId\":42,\"seq\":1,\"sentAt\":5,\"readings\":[]}",
                "deviceId: expected a string, got number 42");
        assertSchema("{\"schema\":\"telemetry.v1\",\"deviceId\":\"a\",\"seq\":1,\"sentAt\":5,\"readings\":{}}",
                "readings: expected an array, got an object");
        assertSchema("{\"schema\":\"telemetry.v1\",\"deviceId\":\"a\",\"seq\":99999999999999999999,\"sentAt\":5,\"readings\":[]}",
                "seq: value 99999999999999999999 is out of range");
        assertSchema("{\"schema\":\"telemetry.v1\",\"deviceId\":\"a\",\"seq\":-3,\"sentAt\":5,\"readings\":[]}",
                "seq: expected a non-negative integer, got -3");
    }

    @Test
    void rejectsMissingFields() {
        assertSchema("{\"deviceId\":\"a\",\"seq\":1,\"sentAt\":5,\"readings\":[]}", "schema: missing");
        assertSchema("{\"schema\":\"telemetry.v1\",\"seq\":1,\"sentAt\":5,\"readings\":[]}", "deviceId: missing");
        assertSchema("{\"schema\":\"telemetry.v1\",\"deviceId\":\"a\",\"sentAt\":5,\"readings\":[]}", "seq: missing");
        assertSchema("{\"schema\":\"telemetry.v1\",\"deviceId\":\"a\",\"seq\":1,\"readings\":[]}", "sentAt: missing");
        assertSchema("{\"schema\":\"telemetry.v1\",\"deviceId\":\"a\",\"seq\":1,\"sentAt\":5}", "readings: missing");
        assertSchema("{\"schema\":\"telemetry.v1\",\"deviceId\":\"a\",\"seq\":1,\"sentAt\":5,\"readings\":[{\"m\":{\"t\":1}}]}",
                "readings[0].ts: missing");
        assertSchema("{\"schema\":\"telemetry.v1\",\"deviceId\":\"a\",\"seq\":1,\"sentAt\":5,\"readings\":[{\"ts\":1}]}",
                "readings[0].m: missing");
    }

    @Test
    void rejectsAnotherSchemaVersion() {
        assertSchema("{\"schema\":\"telemetry.v2\",\"deviceId\":\"a\",\"seq\":1,\"sentAt\":5,\"readings\":[]}",
                "schema: expected \"telemetry.v1\", got \"telemetry.v2\"");
    }

    @Test
    void rejectsDuplicateFieldsAsMalformed() {
        assertThatThrownBy(() -> TelemetryCodec.decode(
                utf8("{\"schema\":\"telemetry.v1\",\"seq\":1,\"seq\":2,\"deviceId\":\"a\",\"sentAt\":5,\"readings\":[]}")))
                .isInstanceOfSatisfying(InvalidTelemetryException.class, e -> {
                    assertThat(e.reason()).isEqualTo(ReasonCode.MALFORMED_JSON);
                    assertThat(e.detail()).contains("Duplicate field 'seq'");
                });
    }

    @Test
    void rejectsTrailingContent() {
        assertThatThrownBy(() -> TelemetryCodec.decode(utf8(
                "{\"schema\":\"telemetry.v1\",\"deviceId\":\"a\",\"seq\":1,\"sentAt\":5,\"readings\":[{\"ts\":1,\"m\":{\"t\":1}}]} {}")))
                .isInstanceOfSatisfying(InvalidTelemetryException.class,
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
