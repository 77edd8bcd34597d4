package io.github.iottelemetry.core.validation;

/**
 * A record that cannot be accepted, with its reason code and a detail a user can act on. Quarantine is
 * ordinary control flow, so the exception carries no stack trace.
 */
public final class InvalidTelemetryException extends Exception {
    private static final long serialVersionUID = 1L;

    private final ReasonCode reason;
    private final String detail;

    public InvalidTelemetryException(ReasonCode reason, String detail) {
        super(reason + ": " + detail, null, false, false);
        this.reason = reason;
        this.detail = detail;
    }

    public ReasonCode reason() {
        return reason;
    }

    public String detail() {
        return detail;
    }
}
