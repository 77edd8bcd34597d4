package io.github.iottelemetry.verify;

import io.github.iottelemetry.core.ledger.ExpectedOutcome;
import io.github.iottelemetry.core.ledger.LedgerEntry;
import io.github.iottelemetry.core.ledger.LedgerReader;
import io.github.iottelemetry.core.validation.ReasonCode;
import io.github.iottelemetry.core.window.Resolution;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the pipeline must have produced, from the simulator's ground-truth ledger. A message the broker
 * acknowledged counts exactly once. A message that never got its PUBACK may or may not have reached
 * the pipeline: it is expected exactly when an output shows it arrived (its seq in a DynamoDB
 * aggregate), and never twice.
 */
public final class LedgerExpectation {
    /** Acknowledged COUNTED messages with their readings: only when built from entries in memory. */
    private final List<LedgerEntry> acked = new ArrayList<>();
    /**
     * deviceId#seq of the acknowledged COUNTED messages. Read from a file, only these are kept, and the readings are
     * streamed from the file again when the expectation is computed: with every message's readings in memory, a
     * 1.44 M-message ledger did not fit in 2 GB of heap.
     */
    private final List<String> ackedKeys = new ArrayList<>();
    /** Unacknowledged COUNTED messages with their readings: only when built from entries in memory. */
    private final List<LedgerEntry> unacked = new ArrayList<>();
    /**
     * deviceId#seq of the unacknowledged COUNTED messages. Read from a file, only these are kept: under overload most
     * of a ledger is messages that never got their PUBACK, and their readings are read again, from the file, only
     * for the few an output shows as delivered (a 1.5 M-message ledger needed more than 2 GB of heap before).
     */
    private final List<String> unackedKeys = new ArrayList<>();

    private Path source;
    private final Map<ReasonCode, Integer> quarantinedAcked = new EnumMap<>(ReasonCode.class);
    private final Map<ReasonCode, Integer> quarantinedUnacked = new EnumMap<>(ReasonCode.class);
    private int duplicates;
    private long messages;
    private boolean complete;

    public static LedgerExpectation read(Path ledger) throws IOException {
        LedgerExpectation x = new LedgerExpectation();
        x.source = ledger;
        try (LedgerReader r = LedgerReader.open(ledger)) {
            while (r.hasNext()) {
                x.add(r.next());
            }
            x.complete = r.complete();
        }
        return x;
    }

    public static LedgerExpectation of(Iterable<LedgerEntry> entries) {
        LedgerExpectation x = new LedgerExpectation();
        entries.forEach(x::add);
        x.complete = true;
        return x;
    }

    private void add(LedgerEntry e) {
        messages++;
        switch (e.outcome()) {
            case COUNTED -> {
                if (e.acked()) {
                    ackedKeys.add(key(e));
                    if (source == null) {
                        acked.add(e);
                    }
                } else {
                    unackedKeys.add(key(e));
                    if (source == null) {
                        unacked.add(e);
                    }
                }
            }
            case DUPLICATE -> duplicates++;
            case QUARANTINED -> (e.acked() ? quarantinedAcked : quarantinedUnacked).merge(e.reason(), 1, Integer::sum);
        }
    }

    /**
     * Expected aggregates, given which unacknowledged messages (deviceId#seq) the outputs show as delivered: computed
     * independently of the pipeline's own aggregation code ({@link IndependentExpectation}).
     */
    public Map<WindowMetricKey, Observed> expected(List<Resolution> resolutions, Set<String> deliveredUnacked) {
        if (source == null) {
            return IndependentExpectation.of(
                    sink -> {
                        acked.forEach(sink);
                        for (LedgerEntry e : unacked) {
                            if (deliveredUnacked.contains(key(e))) {
                                sink.accept(e);
                            }
                        }
                    },
                    resolutions);
        }
        return IndependentExpectation.of(
                sink -> {
                    try (LedgerReader r = LedgerReader.open(source)) {
                        while (r.hasNext()) {
                            LedgerEntry e = r.next();
                            if (e.outcome() == ExpectedOutcome.COUNTED
                                    && (e.acked() || deliveredUnacked.contains(key(e)))) {
                                sink.accept(e);
                            }
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot read the ledger " + source + " again", e);
                    }
                },
                resolutions);
    }

    /** deviceId#seq: how a message is named in the key sets. */
    private static String key(LedgerEntry e) {
        return e.deviceId() + "#" + e.seq();
    }

    /** deviceId#seq of every acknowledged COUNTED message. */
    public Set<String> ackedMessages() {
        return new java.util.HashSet<>(ackedKeys);
    }

    /** deviceId#seq of every unacknowledged COUNTED message. */
    public Set<String> unackedMessages() {
        return new java.util.HashSet<>(unackedKeys);
    }

    public Map<ReasonCode, Integer> quarantinedAcked() {
        return quarantinedAcked;
    }

    public Map<ReasonCode, Integer> quarantinedUnacked() {
        return quarantinedUnacked;
    }

    public int duplicates() {
        return duplicates;
    }

    public long messages() {
        return messages;
    }

    public int countedAcked() {
        return ackedKeys.size();
    }

    public int countedUnacked() {
        return unackedKeys.size();
    }

    /** False when the ledger's writer died before closing it: verification then covers what it recorded. */
    public boolean complete() {
        return complete;
    }
}
