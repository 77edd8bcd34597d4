package io.github.iottelemetry.core.validation;

import io.github.iottelemetry.core.payload.TelemetryMessage;

/** Every record ends as exactly one of these. */
public sealed interface ValidationResult {

    record Valid(TelemetryMessage message) implements ValidationResult {}

    /** A rejected record; {@code detail} names the field, the value and the limit where there is one. */
    record Quarantined(ReasonCode reason, String detail) implements ValidationResult {}

    default boolean isValid() {
        return this instanceof Valid;
    }
}
