package io.github.iottelemetry.core.validation;

import io.github.iottelemetry.core.payload.Reading;
import io.github.iottelemetry.core.payload.TelemetryCodec;
import io.github.iottelemetry.core.payload.TelemetryMessage;
import java.util.List;

/**
 * Decides for every record: valid, or quarantined with exactly one {@link ReasonCode}.
 *
 * <p>Checks run in a fixed order and the first failure wins: size ({@code TOO_LARGE}), well-formed
 * UTF-8 JSON ({@code MALFORMED_JSON}), the schema ({@code SCHEMA_VIOLATION}), identity against the
 * {@code thing} that the IoT rule took from the topic ({@code IDENTITY_MISMATCH}; a record without
 * {@code thing} did not come through the rule and cannot prove its identity), timestamps ahead of the
 * reference time by more than the clock skew ({@code TIMESTAMP_OUT_OF_RANGE}), and readings older than
 * the correction horizon ({@code LATE}). The reference time is the rule's {@code ingestTs}, or the
 * arrival time the caller passes when the record has none.
 */
public final class TelemetryValidator {
    private final ValidationLimits limits;
    private final long skewMillis;
    private final long horizonMillis;

    public TelemetryValidator(ValidationLimits limits) {
        this.limits = limits;
        this.skewMillis = limits.clockSkew().toMillis();
        this.horizonMillis = limits.correctionHorizon().toMillis();
    }

    public ValidationLimits limits() {
        return limits;
    }

    public ValidationResult validate(byte[] record, long arrivalMillis) {
        try {
            return new ValidationResult.Valid(check(record, arrivalMillis));
        } catch (InvalidTelemetryException e) {
            return new ValidationResult.Quarantined(e.reason(), e.detail());
        }
    }

    /** Like {@link #validate} but throws; convenient where the caller only wants valid messages. */
    public TelemetryMessage check(byte[] record, long arrivalMillis) throws InvalidTelemetryException {
        int max = limits.maxPayloadBytes() + limits.envelopeAllowanceBytes();
        if (record.length > max) {
            throw new InvalidTelemetryException(
                    ReasonCode.TOO_LARGE,
                    "record is " + record.length + " bytes, limit " + limits.maxPayloadBytes() + " bytes payload + "
                            + limits.envelopeAllowanceBytes() + " bytes envelope");
        }
        TelemetryMessage m = TelemetryCodec.decode(record);
        List<Reading> readings = m.readings();
        if (readings.isEmpty() || readings.size() > limits.maxReadings()) {
            throw new InvalidTelemetryException(
                    ReasonCode.SCHEMA_VIOLATION,
                    "readings: must have 1 to " + limits.maxReadings() + " entries, got " + readings.size());
        }
        if (m.thing() == null) {
            throw new InvalidTelemetryException(
                    ReasonCode.IDENTITY_MISMATCH,
                    "thing: missing; deviceId=" + m.deviceId()
                            + " cannot be verified without the thing name the IoT rule adds");
        }
        if (!m.thing().equals(m.deviceId())) {
            throw new InvalidTelemetryException(
                    ReasonCode.IDENTITY_MISMATCH, "deviceId=" + m.deviceId() + " thing=" + m.thing());
        }
        long reference = m.ingestTs() != null ? m.ingestTs() : arrivalMillis;
        long latestAllowed = reference + skewMillis;
        long earliestAllowed = reference - horizonMillis;
        if (m.sentAt() > latestAllowed) {
            throw new InvalidTelemetryException(
                    ReasonCode.TIMESTAMP_OUT_OF_RANGE,
                    "sentAt=" + m.sentAt() + " is " + (m.sentAt() - reference) + " ms after ingestTs=" + reference
                            + ", allowed skew " + skewMillis + " ms");
        }
        for (int i = 0; i < readings.size(); i++) {
            long ts = readings.get(i).ts();
            if (ts > latestAllowed) {
                throw new InvalidTelemetryException(
                        ReasonCode.TIMESTAMP_OUT_OF_RANGE,
                        "readings[" + i + "].ts=" + ts + " is " + (ts - reference) + " ms after ingestTs=" + reference
                                + ", allowed skew " + skewMillis + " ms");
            }
        }
        for (int i = 0; i < readings.size(); i++) {
            long ts = readings.get(i).ts();
            if (ts < earliestAllowed) {
                throw new InvalidTelemetryException(
                        ReasonCode.LATE,
                        "readings[" + i + "].ts=" + ts + " is " + (reference - ts) + " ms before ingestTs=" + reference
                                + ", correction horizon " + horizonMillis + " ms");
            }
        }
        return m;
    }
}
