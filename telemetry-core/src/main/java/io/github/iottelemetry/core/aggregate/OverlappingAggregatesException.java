package io.github.iottelemetry.core.aggregate;

/** Two partial aggregates share some messages but not all, so their summaries cannot be combined. */
public final class OverlappingAggregatesException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public OverlappingAggregatesException(String message) {
        super(message);
    }
}
