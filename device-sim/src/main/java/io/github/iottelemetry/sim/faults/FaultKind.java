package io.github.iottelemetry.sim.faults;

/**
 * The faults a device can inject, with what the pipeline must do with each (DESIGN.md, "Time" and the reason
 * codes; limits from telemetry-core's ValidationLimits defaults).
 */
public enum FaultKind {
    /** The last acknowledged message again, same seq and bytes: DUPLICATE. */
    DUPLICATE("duplicate"),
    /** Readings older than ones already sent, within the allowed lateness: COUNTED. */
    OUT_OF_ORDER("out-of-order"),
    /** Readings after their window closed but within the correction horizon: COUNTED (as a correction). */
    LATE_CORRECTION("late-correction"),
    /** Readings older than the correction horizon: QUARANTINED LATE. */
    BEYOND_HORIZON("beyond-horizon"),
    /** A message cut short, not parseable JSON: QUARANTINED MALFORMED_JSON. */
    MALFORMED_JSON("malformed"),
    /** Well-formed JSON that breaks telemetry.v1 ({@code seq} as a string): QUARANTINED SCHEMA_VIOLATION. */
    SCHEMA_VIOLATION("schema"),
    /** Another device's deviceId in the payload, on this device's own topic: QUARANTINED IDENTITY_MISMATCH. */
    IDENTITY_SPOOF("spoof"),
    /** A payload over the maximum size: QUARANTINED TOO_LARGE. */
    OVERSIZE("oversize");

    private final String flagName;

    FaultKind(String flagName) {
        this.flagName = flagName;
    }

    /** The name on the command line: {@code --faults duplicate=0.01,oversize=0}. */
    public String flagName() {
        return flagName;
    }

    public static FaultKind fromFlag(String name) {
        for (FaultKind kind : values()) {
            if (kind.flagName.equalsIgnoreCase(name) || kind.name().equalsIgnoreCase(name)) {
                return kind;
            }
        }
        StringBuilder known = new StringBuilder();
        for (FaultKind kind : values()) {
            known.append(known.isEmpty() ? "" : ", ").append(kind.flagName);
        }
        throw new IllegalArgumentException("unknown fault '" + name + "': use " + known);
    }
}
