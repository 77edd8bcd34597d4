package io.github.iottelemetry.core.lake;

import io.github.iottelemetry.core.validation.ReasonCode;
import io.github.iottelemetry.core.window.Resolution;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The data lake's object keys (DESIGN.md, storage contracts), in one place for every writer and reader.
 * Partitions are Hive-style and UTC ({@code dt=YYYY-MM-DD/hour=HH}); every key is derived from the data, so
 * writing the same data again rewrites the same key.
 * <ul>
 * <li>{@code raw/dt=/hour=/<shardId>-<sequence number>.json.gz}: a run of a shard's valid records that share an
 *     ingest hour, named after the run's first record (see the ingest function's archive for why that keeps
 *     each record in exactly one object under retries and bisection).</li>
 * <li>{@code quarantine/dt=/reason=/<shardId>-<sequence number>.json.gz}: one rejected record.</li>
 * <li>{@code aggregates/resolution=/dt=/hour=/<windowStart>-<bucket>.parquet}: the windows starting at
 *     {@code windowStart} of the devices in one of {@link #AGGREGATE_BUCKETS} buckets. The bucket is the top
 *     four bits of the MD5 of the device id, which is also where Kinesis places the device's records (the
 *     partition key is the thing name): the key depends on the device only, never on the shard that wrote it,
 *     and each shard's devices fall into few buckets.</li>
 * </ul>
 */
public final class LakeLayout {
    public static final String RAW_PREFIX = "raw/";
    public static final String QUARANTINE_PREFIX = "quarantine/";
    public static final String AGGREGATES_PREFIX = "aggregates/";
    /** Fixed for the lake's lifetime: a device's rows must always land in the same object. */
    public static final int AGGREGATE_BUCKETS = 16;

    private static final DateTimeFormatter DT =
            DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter HOUR =
            DateTimeFormatter.ofPattern("HH").withZone(ZoneOffset.UTC);
    private static final Pattern RAW_OBJECT = Pattern.compile("(.+)-([0-9]+)\\.json\\.gz");
    private static final long HOUR_MILLIS = 3_600_000L;

    private LakeLayout() {}

    /** The raw object of the run of {@code shardId}'s records in the ingest hour of {@code hourMillis} that starts at {@code firstSequenceNumber}. */
    public static String rawKey(long hourMillis, String shardId, String firstSequenceNumber) {
        return RAW_PREFIX + hourPartition(hourMillis) + "/" + shardId + "-" + firstSequenceNumber + ".json.gz";
    }

    /** The shard a raw object's records came from, if the key has the raw zone's form. */
    public static Optional<String> shardOfRawKey(String key) {
        Matcher m = RAW_OBJECT.matcher(key.substring(key.lastIndexOf('/') + 1));
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** The quarantine object of one rejected record, partitioned by its arrival day and reason. */
    public static String quarantineKey(long arrivalMillis, ReasonCode reason, String shardId, String sequenceNumber) {
        return QUARANTINE_PREFIX + "dt=" + DT.format(Instant.ofEpochMilli(arrivalMillis)) + "/reason=" + reason + "/"
                + shardId + "-" + sequenceNumber + ".json.gz";
    }

    /** The aggregates object holding {@code deviceId}'s windows of {@code resolution} that start at {@code windowStart}. */
    public static String aggregatesKey(Resolution resolution, long windowStart, String deviceId) {
        return AGGREGATES_PREFIX + "resolution=" + resolution.label() + "/" + hourPartition(windowStart) + "/"
                + windowStart + "-" + Integer.toHexString(aggregateBucket(deviceId)) + ".parquet";
    }

    /** 0 to {@link #AGGREGATE_BUCKETS} - 1: the top four bits of MD5(deviceId), Kinesis' hash of the same partition key. */
    public static int aggregateBucket(String deviceId) {
        try {
            byte[] hash = MessageDigest.getInstance("MD5").digest(deviceId.getBytes(StandardCharsets.UTF_8));
            return (hash[0] & 0xF0) >>> 4;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has MD5", e);
        }
    }

    /** The start of the hour {@code millis} falls in. */
    public static long hourOf(long millis) {
        return Math.floorDiv(millis, HOUR_MILLIS) * HOUR_MILLIS;
    }

    private static String hourPartition(long millis) {
        Instant t = Instant.ofEpochMilli(millis);
        return "dt=" + DT.format(t) + "/hour=" + HOUR.format(t);
    }
}
