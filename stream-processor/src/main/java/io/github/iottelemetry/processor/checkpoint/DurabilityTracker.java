package io.github.iottelemetry.processor.checkpoint;

import io.github.iottelemetry.core.aggregate.WindowKey;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where a shard may be checkpointed. A record is durable once every window it contributed to has been
 * written to both outputs (DynamoDB and the lake); records that only carried invalid data or duplicates
 * are durable at once. The checkpoint is the last record before the first one that is not yet durable,
 * so a restart replays exactly the records whose effects might be missing.
 *
 * <p>Records arrive in shard order, so the first record to contribute to a window is the oldest one
 * that the window holds back: tracking that one position per open window is enough.
 */
public final class DurabilityTracker {
    /** Sequence numbers of records from the last checkpoint on, by arrival index. */
    private final ArrayDeque<String> sequenceNumbers = new ArrayDeque<>();

    private long firstIndexInDeque;
    private long nextIndex;
    /** Open (or being written) window -> arrival index of its first contributing record. */
    private final Map<WindowKey, Long> firstContributor = new HashMap<>();

    /** Registers the next record of the shard; returns its arrival index. */
    public long arrived(String sequenceNumber) {
        sequenceNumbers.addLast(sequenceNumber);
        return nextIndex++;
    }

    /** Record {@code index} put data into {@code window}; only the first contributor is kept. */
    public void contributed(WindowKey window, long index) {
        firstContributor.putIfAbsent(window, index);
    }

    /** These windows are now written to both outputs: they no longer hold any record back. */
    public void durable(Collection<WindowKey> windows) {
        windows.forEach(firstContributor::remove);
    }

    /** Arrival index of the oldest record that is not durable yet, or the next index when all are. */
    public long firstNotDurableIndex() {
        long first = nextIndex;
        for (long index : firstContributor.values()) {
            first = Math.min(first, index);
        }
        return first;
    }

    /**
     * The sequence number to checkpoint at (every record up to and including it is durable), or empty
     * when no record became durable since the last call. Positions before it are forgotten.
     */
    public Optional<String> advance() {
        long safeEnd = firstNotDurableIndex(); // exclusive
        String checkpoint = null;
        while (firstIndexInDeque < safeEnd) {
            checkpoint = sequenceNumbers.pollFirst();
            firstIndexInDeque++;
        }
        return Optional.ofNullable(checkpoint);
    }

    public int openWindows() {
        return firstContributor.size();
    }

    /** Records received since the last checkpoint. */
    public int recordsNotCheckpointed() {
        return sequenceNumbers.size();
    }
}
