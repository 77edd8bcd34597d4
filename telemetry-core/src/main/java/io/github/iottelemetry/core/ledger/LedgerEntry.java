package io.github.iottelemetry.core.ledger;

import io.github.iottelemetry.core.payload.Reading;
import io.github.iottelemetry.core.payload.TelemetryMessage;
import io.github.iottelemetry.core.validation.ReasonCode;
import java.util.List;
import java.util.Objects;

/**
 * One published message in the ground-truth ledger.
 *
 * @param acked true when the broker acknowledged it (PUBACK success); an unacknowledged message may
 *              or may not have reached the pipeline, so verification accepts either
 * @param readings what the device sent, for {@link ExpectedOutcome#COUNTED} messages (empty otherwise):
 *                 enough to recompute every expected aggregate
 */
public record LedgerEntry(
        String deviceId,
        long seq,
        long sentAt,
        boolean acked,
        ExpectedOutcome outcome,
        ReasonCode reason,
        List<Reading> readings) {

    public LedgerEntry {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(outcome, "outcome");
        if ((outcome == ExpectedOutcome.QUARANTINED) != (reason != null)) {
            throw new IllegalArgumentException("ledger entry " + deviceId + "/" + seq
                    + ": a reason code goes with QUARANTINED and only with it (outcome " + outcome + ", reason "
                    + reason + ")");
        }
        readings = List.copyOf(readings);
    }

    public static LedgerEntry counted(TelemetryMessage m, boolean acked) {
        return new LedgerEntry(m.deviceId(), m.seq(), m.sentAt(), acked, ExpectedOutcome.COUNTED, null, m.readings());
    }

    public static LedgerEntry duplicate(String deviceId, long seq, long sentAt, boolean acked) {
        return new LedgerEntry(deviceId, seq, sentAt, acked, ExpectedOutcome.DUPLICATE, null, List.of());
    }

    public static LedgerEntry quarantined(String deviceId, long seq, long sentAt, boolean acked, ReasonCode reason) {
        return new LedgerEntry(deviceId, seq, sentAt, acked, ExpectedOutcome.QUARANTINED, reason, List.of());
    }

    /** The message this entry stands for, as the pipeline decodes it (for recomputing aggregates). */
    public TelemetryMessage toMessage() {
        return TelemetryMessage.fromDevice(deviceId, seq, sentAt, readings);
    }
}
