package io.github.iottelemetry.processor.window;

/** Counters of one shard's processing, logged at checkpoints and at the end of a lease. */
public final class ShardStats {
    long messages;
    long readings;
    long duplicateMessages;
    long invalidRecords;
    long correctionReadings;
    long windowsWritten;

    public long messages() {
        return messages;
    }

    public long readings() {
        return readings;
    }

    public long duplicateMessages() {
        return duplicateMessages;
    }

    public long invalidRecords() {
        return invalidRecords;
    }

    /** Readings that arrived after their (finest) window had closed and were merged as corrections. */
    public long correctionReadings() {
        return correctionReadings;
    }

    public long windowsWritten() {
        return windowsWritten;
    }

    @Override
    public String toString() {
        return "messages=" + messages + " readings=" + readings + " duplicates=" + duplicateMessages + " invalid="
                + invalidRecords + " corrections=" + correctionReadings + " windowsWritten=" + windowsWritten;
    }
}
