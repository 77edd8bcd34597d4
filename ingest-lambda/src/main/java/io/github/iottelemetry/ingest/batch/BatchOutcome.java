package io.github.iottelemetry.ingest.batch;

import io.github.iottelemetry.core.validation.ReasonCode;
import java.util.List;
import java.util.Map;

/**
 * What one batch did.
 *
 * @param failedSequenceNumbers records that hit a transient failure, for {@code batchItemFailures};
 *                              Lambda retries the shard from the lowest of them
 * @param duplicates valid records whose (deviceId, seq) already appeared earlier in the batch
 * @param staleStateUpdates device-state writes skipped because the table already held a newer seq
 * @param deferredStateUpdates devices whose state was not written because it was written less than the
 *                             device-state interval before (of the device's reading time)
 */
public record BatchOutcome(
        int records,
        int valid,
        Map<ReasonCode, Integer> quarantined,
        int duplicates,
        int stateWrites,
        int staleStateUpdates,
        int deferredStateUpdates,
        int rawObjects,
        long maxIngestLagMillis,
        List<String> failedSequenceNumbers,
        Timings timings) {

    /** Where the batch's time went, in nanoseconds. */
    public record Timings(long decodeValidate, long stateAndQuarantine, long rawArchive) {}

    public int quarantinedTotal() {
        return quarantined.values().stream().mapToInt(Integer::intValue).sum();
    }
}
