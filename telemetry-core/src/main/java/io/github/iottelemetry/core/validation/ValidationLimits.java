package io.github.iottelemetry.core.validation;

import java.time.Duration;
import java.util.Map;

/**
 * The configurable limits of validation and event time (DESIGN.md, "Time").
 *
 * @param maxPayloadBytes largest accepted MQTT body (IoT Core's own limit is 128 KiB)
 * @param envelopeAllowanceBytes room for the fields the IoT rule adds ({@code thing}, {@code ingestTs})
 * @param maxReadings most readings in one message
 * @param clockSkew how far a device timestamp may run ahead of {@code ingestTs}
 * @param allowedLateness how long a window stays open after the watermark passes its end
 * @param correctionHorizon how old a reading may be, before {@code ingestTs}, and still be merged
 */
public record ValidationLimits(
        int maxPayloadBytes,
        int envelopeAllowanceBytes,
        int maxReadings,
        Duration clockSkew,
        Duration allowedLateness,
        Duration correctionHorizon) {

    public static final int DEFAULT_MAX_PAYLOAD_BYTES = 128 * 1024;
    public static final int DEFAULT_ENVELOPE_ALLOWANCE_BYTES = 256;
    public static final int DEFAULT_MAX_READINGS = 500;
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofMinutes(5);
    public static final Duration DEFAULT_ALLOWED_LATENESS = Duration.ofMinutes(2);
    public static final Duration DEFAULT_CORRECTION_HORIZON = Duration.ofHours(24);

    /** Environment variable names, as set by template.yaml on the function and the processor task. */
    public static final String ENV_MAX_PAYLOAD_BYTES = "MAX_PAYLOAD_BYTES";

    public static final String ENV_MAX_READINGS = "MAX_READINGS";
    public static final String ENV_CLOCK_SKEW_SECONDS = "CLOCK_SKEW_SECONDS";
    public static final String ENV_ALLOWED_LATENESS_SECONDS = "ALLOWED_LATENESS_SECONDS";
    public static final String ENV_CORRECTION_HORIZON_HOURS = "CORRECTION_HORIZON_HOURS";

    public ValidationLimits {
        require(maxPayloadBytes > 0, "maxPayloadBytes must be positive, got " + maxPayloadBytes);
        require(
                envelopeAllowanceBytes >= 0,
                "envelopeAllowanceBytes must not be negative, got " + envelopeAllowanceBytes);
        require(maxReadings > 0, "maxReadings must be positive, got " + maxReadings);
        require(!clockSkew.isNegative(), "clockSkew must not be negative, got " + clockSkew);
        require(!allowedLateness.isNegative(), "allowedLateness must not be negative, got " + allowedLateness);
        require(
                correctionHorizon.compareTo(allowedLateness) >= 0,
                "correctionHorizon (" + correctionHorizon + ") must be at least allowedLateness (" + allowedLateness
                        + ")");
    }

    public static ValidationLimits defaults() {
        return new ValidationLimits(
                DEFAULT_MAX_PAYLOAD_BYTES,
                DEFAULT_ENVELOPE_ALLOWANCE_BYTES,
                DEFAULT_MAX_READINGS,
                DEFAULT_CLOCK_SKEW,
                DEFAULT_ALLOWED_LATENESS,
                DEFAULT_CORRECTION_HORIZON);
    }

    /**
     * Defaults overridden by whichever of the {@code ENV_*} variables are set; a malformed value fails
     * with the variable's name, so a bad deployment is caught at cold start rather than per record.
     */
    public static ValidationLimits fromEnvironment(Map<String, String> env) {
        ValidationLimits d = defaults();
        return new ValidationLimits(
                intVar(env, ENV_MAX_PAYLOAD_BYTES, d.maxPayloadBytes),
                d.envelopeAllowanceBytes,
                intVar(env, ENV_MAX_READINGS, d.maxReadings),
                Duration.ofSeconds(intVar(env, ENV_CLOCK_SKEW_SECONDS, (int) d.clockSkew.toSeconds())),
                Duration.ofSeconds(intVar(env, ENV_ALLOWED_LATENESS_SECONDS, (int) d.allowedLateness.toSeconds())),
                Duration.ofHours(intVar(env, ENV_CORRECTION_HORIZON_HOURS, (int) d.correctionHorizon.toHours())));
    }

    private static int intVar(Map<String, String> env, String name, int fallback) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("environment variable " + name + "=\"" + v + "\" is not a whole number");
        }
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
