package io.github.iottelemetry.core.validation;

/** Why a record was quarantined. Every rejected record carries exactly one of these. */
public enum ReasonCode {
    /** Not parseable as UTF-8 JSON (truncated, non-standard tokens such as NaN, bad bytes). */
    MALFORMED_JSON,
    /** Well-formed JSON that breaks the telemetry.v1 schema; the detail names the field path. */
    SCHEMA_VIOLATION,
    /** {@code deviceId} in the payload differs from the {@code thing} the IoT rule took from the topic. */
    IDENTITY_MISMATCH,
    /** A timestamp lies in the future beyond the clock-skew allowance. */
    TIMESTAMP_OUT_OF_RANGE,
    /** The record exceeds the maximum payload size. */
    TOO_LARGE,
    /** A reading is older than the correction horizon before {@code ingestTs}. */
    LATE
}
