package io.github.iottelemetry.core.ledger;

/** What the pipeline must do with a message, as the simulator intended it. */
public enum ExpectedOutcome {
    /** Valid: every reading counts exactly once in its window (also late corrections within the horizon). */
    COUNTED,
    /** A resend of a (deviceId, seq) that is already counted: dropped and counted as a duplicate. */
    DUPLICATE,
    /** Rejected with the entry's reason code and kept in quarantine. */
    QUARANTINED
}
