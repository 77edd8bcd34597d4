package io.github.iottelemetry.sim.faults;

import io.github.iottelemetry.core.ledger.LedgerEntry;

/**
 * One MQTT publish a device is about to make, with the ledger entry it will produce once the broker has
 * answered (or not).
 *
 * @param fault the injected fault, or null for a normal message
 */
public record OutgoingMessage(String thing, long seq, byte[] payload, LedgerEntry expected, FaultKind fault) {

    /** The ledger entry for this message: acknowledged (PUBACK success) or not. */
    public LedgerEntry ledgerEntry(boolean acked) {
        LedgerEntry e = expected;
        return new LedgerEntry(e.deviceId(), e.seq(), e.sentAt(), acked, e.outcome(), e.reason(), e.readings());
    }
}
