package io.github.iottelemetry.ingest.lake;

import io.github.iottelemetry.core.validation.ReasonCode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Object keys of the data lake's raw and quarantine zones (DESIGN.md). Keys are derived from the
 * shard and sequence numbers, so a retried batch writes the same keys again instead of adding copies.
 */
public final class LakeKeys {
    private static final DateTimeFormatter DT = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("HH").withZone(ZoneOffset.UTC);

    private LakeKeys() {
    }

    /** {@code raw/dt=2026-11-23/hour=10/shardId-000000000001-<first seq no>-<last seq no>.json.gz}. */
    public static String raw(long partitionMillis, String shardId, String firstSequenceNumber, String lastSequenceNumber) {
        Instant t = Instant.ofEpochMilli(partitionMillis);
        return "raw/dt=" + DT.format(t) + "/hour=" + HOUR.format(t) + "/" + shardId + "-" + firstSequenceNumber + "-"
                + lastSequenceNumber + ".json.gz";
    }

    /** {@code quarantine/dt=2026-11-23/reason=LATE/shardId-000000000001-<seq no>.json.gz}. */
    public static String quarantine(long arrivalMillis, ReasonCode reason, String shardId, String sequenceNumber) {
        return "quarantine/dt=" + DT.format(Instant.ofEpochMilli(arrivalMillis)) + "/reason=" + reason + "/" + shardId + "-"
                + sequenceNumber + ".json.gz";
    }

    /** The hour partition a record's raw copy belongs to: its IoT ingest time, truncated to the hour. */
    public static long hourOf(long millis) {
        return Math.floorDiv(millis, 3_600_000L) * 3_600_000L;
    }
}
