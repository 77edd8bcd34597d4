package io.github.iottelemetry.core.validation;

import static io.github.iottelemetry.core.support.Messages.T0;
import static io.github.iottelemetry.core.support.Messages.record;
import static io.github.iottelemetry.core.support.Messages.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.iottelemetry.core.payload.TelemetryCodec;
import io.github.iottelemetry.core.payload.TelemetryMessage;
import io.github.iottelemetry.core.support.Messages;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TelemetryValidatorTest {
    private final TelemetryValidator validator = new TelemetryValidator(ValidationLimits.defaults());
    private static final long ARRIVAL = T0 + 2_000;

    @Test
    void acceptsAValidRecordFromTheRule() {
        TelemetryMessage m = Messages.fromRule("sim-000042", 12, 10);
        ValidationResult r = validator.validate(TelemetryCodec.encode(m), m.ingestTs());
        assertThat(r).isEqualTo(new ValidationResult.Valid(m));
    }

    @Test
    void acceptsExactly500ReadingsAndTheEdgesOfTheTimeWindow() {
        long ingest = T0 + 3_600_000;
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < 500; i++) {
            long ts = i == 0 ? ingest - Duration.ofHours(24).toMillis() : i == 1 ? ingest + 300_000 : ingest - i;
            sb.append(i == 0 ? "" : ",").append("{\"ts\":").append(ts).append(",\"m\":{\"t\":1.5}}");
        }
        byte[] rec = utf8("{\"schema\":\"telemetry.v1\",\"deviceId\":\"a\",\"seq\":1,\"sentAt\":" + ingest
                + ",\"readings\":" + sb + "],\"thing\":\"a\",\"ingestTs\":" + ingest + "}");
        assertThat(validator.validate(rec, ingest).isValid()).isTrue();
    }

    // MALFORMED_JSON

    @Test
    void truncatedJson() {
        byte[] full = TelemetryCodec.encode(Messages.fromRule("sim-1", 1, 3));
        assertQuarantined(Arrays.copyOf(full, full.length / 2), ReasonCode.MALFORMED_JSON, "Unexpected end-of-input");
    }

    @Test
    void nanAndInfinityLiteralsAreNotJson() {
        assertQuarantined(record("a", "a", "[{\"ts\":1,\"m\":{\"t\":NaN}}]"), ReasonCode.MALFORMED_JSON, "NaN");
        assertQuarantined(
                record("a", "a", "[{\"ts\":1,\"m\":{\"t\":Infinity}}]"), ReasonCode.MALFORMED_JSON, "Infinity");
        assertQuarantined(
                record("a", "a", "[{\"ts\":1,\"m\":{\"t\":-Infinity}}]"), ReasonCode.MALFORMED_JSON, "Infinity");
    }

    @Test
    void nonUtf8Bytes() {
        byte[] rec = record("a", "a", "[{\"ts\":1,\"m\":{\"t\":1}}]");
        byte[] latin1 = utf8("{\"schema\":\"telemetry.v1\",\"deviceId\":\"caf\u00e9\"}");
        latin1 = new String(latin1, java.nio.charset.StandardCharsets.UTF_8)
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        assertQuarantined(latin1, ReasonCode.MALFORMED_JSON, "Invalid UTF-8");
        byte[] broken = rec.clone();
        int at = new String(rec, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf("telemetry.v1");
        broken[at] = (byte) 0xC3; // a lead byte followed by an ASCII byte
        assertQuarantined(broken, ReasonCode.MALFORMED_JSON, "UTF-8");
    }

    @Test
    void emptyAndGarbageRecords() {
        assertQuarantined(new byte[0], ReasonCode.MALFORMED_JSON, "empty record");
        assertQuarantined(utf8("temperature=21.5"), ReasonCode.MALFORMED_JSON, "Unrecognized token");
    }

    // SCHEMA_VIOLATION

    @Test
    void stringsForNumbers() {
        assertQuarantined(
                record("a", "a", "[{\"ts\":1,\"m\":{\"temperature\":\"21.5\"}}]"),
                ReasonCode.SCHEMA_VIOLATION,
                "readings[0].m.temperature: expected a number, got string \"21.5\"");
        assertQuarantined(
                record("a", "a", "[{\"ts\":\"1763884800000\",\"m\":{\"t\":1}}]"),
                ReasonCode.SCHEMA_VIOLATION,
                "readings[0].ts: expected a non-negative integer, got string \"1763884800000\"");
    }

    @Test
    void numbersTooLargeForADouble() {
        assertQuarantined(
                record("a", "a", "[{\"ts\":1,\"m\":{\"t\":1e999}}]"),
                ReasonCode.SCHEMA_VIOLATION,
                "readings[0].m.t: value 1e999 is not a finite number");
    }

    @Test
    void emptyReadings() {
        assertQuarantined(
                record("a", "a", "[]"), ReasonCode.SCHEMA_VIOLATION, "readings: must have 1 to 500 entries, got 0");
    }

    @Test
    void fiveHundredAndOneReadings() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < 501; i++) {
            sb.append(i == 0 ? "" : ",").append("{\"ts\":").append(T0 + i).append(",\"m\":{\"t\":1}}");
        }
        assertQuarantined(
                record("a", "a", sb + "]"),
                ReasonCode.SCHEMA_VIOLATION,
                "readings: must have 1 to 500 entries, got 501");
    }

    @Test
    void badMetricNames() {
        for (String name : new String[] {"Temperature", "1temp", "temp-c", "", "t".repeat(65), "temp\u00e9"}) {
            assertQuarantined(
                    record("a", "a", "[{\"ts\":1,\"m\":{\"" + name + "\":1}}]"),
                    ReasonCode.SCHEMA_VIOLATION,
                    "does not match [a-z][a-z0-9_]{0,63}");
        }
        assertThat(validator
                        .validate(
                                record("a", "a", "[{\"ts\":" + T0 + ",\"m\":{\"" + "t".repeat(64) + "\":1}}]"), ARRIVAL)
                        .isValid())
                .isTrue();
    }

    @Test
    void badDeviceIds() {
        assertQuarantined(
                record("sim 1", "sim 1", "[{\"ts\":1,\"m\":{\"t\":1}}]"),
                ReasonCode.SCHEMA_VIOLATION,
                "deviceId: \"sim 1\" does not match [A-Za-z0-9:_-]{1,128}");
        assertQuarantined(record("", "", "[{\"ts\":1,\"m\":{\"t\":1}}]"), ReasonCode.SCHEMA_VIOLATION, "deviceId");
    }

    @Test
    void readingsWithUnknownFieldsOrNoMetrics() {
        assertQuarantined(
                record("a", "a", "[{\"ts\":1,\"m\":{}}]"),
                ReasonCode.SCHEMA_VIOLATION,
                "readings[0].m: must hold at least one metric");
        assertQuarantined(
                record("a", "a", "[{\"ts\":1,\"m\":{\"t\":1},\"unit\":\"C\"}]"),
                ReasonCode.SCHEMA_VIOLATION,
                "readings[0].unit: unknown field");
        assertQuarantined(
                record("a", "a", "[{\"ts\":1,\"m\":{\"t\":null}}]"),
                ReasonCode.SCHEMA_VIOLATION,
                "readings[0].m.t: expected a number, got null");
    }

    // IDENTITY_MISMATCH

    @Test
    void deviceIdDiffersFromTheThingInTheTopic() {
        assertQuarantined(
                record("sim-000002", "sim-000001", "[{\"ts\":" + T0 + ",\"m\":{\"t\":1}}]"),
                ReasonCode.IDENTITY_MISMATCH,
                "deviceId=sim-000002 thing=sim-000001");
    }

    @Test
    void aRecordWithoutThingCannotProveItsIdentity() {
        byte[] device = TelemetryCodec.encode(TelemetryMessage.fromDevice("a", 1, T0, Messages.readings(1, T0, 1)));
        assertQuarantined(device, ReasonCode.IDENTITY_MISMATCH, "thing: missing");
    }

    // TIMESTAMP_OUT_OF_RANGE and LATE (reference: ingestTs = T0 + 1200)

    @Test
    void futureTimestampsBeyondTheSkewAllowance() {
        long future = T0 + 1200 + 300_001;
        assertQuarantined(
                record("a", "a", "[{\"ts\":" + T0 + ",\"m\":{\"t\":1}},{\"ts\":" + future + ",\"m\":{\"t\":1}}]"),
                ReasonCode.TIMESTAMP_OUT_OF_RANGE,
                "readings[1].ts=" + future + " is 300001 ms after ingestTs=" + (T0 + 1200)
                        + ", allowed skew 300000 ms");
    }

    @Test
    void ancientTimestampsAreLate() {
        long ancient = T0 + 1200 - Duration.ofHours(24).toMillis() - 1;
        assertQuarantined(
                record("a", "a", "[{\"ts\":" + ancient + ",\"m\":{\"t\":1}}]"),
                ReasonCode.LATE,
                "readings[0].ts=" + ancient + " is 86400001 ms before ingestTs=" + (T0 + 1200));
        assertQuarantined(record("a", "a", "[{\"ts\":0,\"m\":{\"t\":1}}]"), ReasonCode.LATE, "readings[0].ts=0");
    }

    @Test
    void withoutIngestTsTheArrivalTimeIsTheReference() {
        byte[] rec = utf8("{\"schema\":\"telemetry.v1\",\"deviceId\":\"a\",\"seq\":1,\"sentAt\":" + T0
                + ",\"readings\":[{\"ts\":" + T0 + ",\"m\":{\"t\":1}}],\"thing\":\"a\"}");
        assertThat(validator.validate(rec, T0 + 1000).isValid()).isTrue();
        assertThat(validator.validate(rec, T0 + Duration.ofDays(2).toMillis()))
                .isEqualTo(new ValidationResult.Quarantined(
                        ReasonCode.LATE,
                        "readings[0].ts=" + T0 + " is 172800000 ms before ingestTs=" + (T0 + 172_800_000)
                                + ", correction horizon 86400000 ms"));
    }

    // TOO_LARGE

    @Test
    void a129KiBPayloadIsTooLarge() {
        StringBuilder sb = new StringBuilder("[");
        int i = 0;
        while (sb.length() < 129 * 1024) {
            sb.append(i == 0 ? "" : ",")
                    .append("{\"ts\":")
                    .append(T0 + i++)
                    .append(",\"m\":{\"temperature\":21.5,\"humidity\":40.25}}");
        }
        byte[] rec = record("a", "a", sb + "]");
        assertQuarantined(rec, ReasonCode.TOO_LARGE, "record is " + rec.length + " bytes, limit 131072 bytes payload");
    }

    @Test
    void sizeIsCheckedBeforeParsing() {
        byte[] garbage = new byte[200_000];
        assertThat(validator.validate(garbage, ARRIVAL))
                .extracting(r -> ((ValidationResult.Quarantined) r).reason())
                .isEqualTo(ReasonCode.TOO_LARGE);
    }

    @Test
    void limitsComeFromTheEnvironment() {
        ValidationLimits l = ValidationLimits.fromEnvironment(Map.of(
                "MAX_READINGS",
                "10",
                "CLOCK_SKEW_SECONDS",
                "30",
                "ALLOWED_LATENESS_SECONDS",
                "60",
                "CORRECTION_HORIZON_HOURS",
                "2"));
        assertThat(l.maxReadings()).isEqualTo(10);
        assertThat(l.clockSkew()).isEqualTo(Duration.ofSeconds(30));
        assertThat(l.allowedLateness()).isEqualTo(Duration.ofMinutes(1));
        assertThat(l.correctionHorizon()).isEqualTo(Duration.ofHours(2));
        assertThat(l.maxPayloadBytes()).isEqualTo(131072);
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> ValidationLimits.fromEnvironment(Map.of("MAX_READINGS", "ten")))
                .hasMessage("environment variable MAX_READINGS=\"ten\" is not a whole number");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ValidationLimits.fromEnvironment(
                        Map.of("ALLOWED_LATENESS_SECONDS", "7200", "CORRECTION_HORIZON_HOURS", "1")))
                .hasMessageContaining("correctionHorizon (PT1H) must be at least allowedLateness (PT2H)");
    }

    private void assertQuarantined(byte[] rec, ReasonCode reason, String detailPart) {
        ValidationResult r = validator.validate(rec, ARRIVAL);
        assertThat(r).isInstanceOf(ValidationResult.Quarantined.class);
        ValidationResult.Quarantined q = (ValidationResult.Quarantined) r;
        assertThat(q.reason()).as(q.detail()).isEqualTo(reason);
        assertThat(q.detail()).contains(detailPart);
    }
}
