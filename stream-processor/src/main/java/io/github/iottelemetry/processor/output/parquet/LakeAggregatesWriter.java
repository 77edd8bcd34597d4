package io.github.iottelemetry.processor.output.parquet;

import io.github.iottelemetry.core.aggregate.WindowKey;
import io.github.iottelemetry.processor.output.StoredWindow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Writes window aggregates to the lake as Parquet, one object per shard, resolution and window start:
 * {@code aggregates/resolution=R/dt=yyyy-MM-dd/hour=HH/<shardId>-<windowStart>.parquet}.
 *
 * <p>Why one object per window and not per batch: a batch's boundaries depend on timing (idle close,
 * lease moves), so a replay would cut different batches and a per-batch object would double count. An
 * object per (shard, window) holds each row's full aggregate as stored in DynamoDB; every write
 * replaces the rows it touches and keeps the others (read, replace, put), so writing it again after a
 * replay or a correction leaves exactly one row per (device, metric, window). A device's records stay on
 * one shard, and only the shard's lease holder writes its objects.
 */
public final class LakeAggregatesWriter {
    public static final String PREFIX = "aggregates/";

    private final S3Client s3;
    private final String bucket;
    private final ExecutorService io;

    public LakeAggregatesWriter(S3Client s3, String bucket, ExecutorService io) {
        this.s3 = s3;
        this.bucket = bucket;
        this.io = io;
    }

    /** The object key of the rows of {@code shardId} for one resolution and window start. */
    public static String objectKey(String shardId, WindowKey key) {
        ZonedDateTime start = Instant.ofEpochMilli(key.windowStart()).atZone(ZoneOffset.UTC);
        return PREFIX + "resolution=" + key.resolution().label()
                + "/dt=" + start.toLocalDate()
                + "/hour=" + String.format("%02d", start.getHour())
                + "/" + shardId + "-" + key.windowStart() + ".parquet";
    }

    /** Writes the windows' rows; returns the object keys written. Fails if any object cannot be written. */
    public List<String> write(String shardId, List<StoredWindow> windows) {
        Map<String, List<AggregateRow>> rowsByObject = new TreeMap<>();
        for (StoredWindow w : windows) {
            List<AggregateRow> rows = rowsByObject.computeIfAbsent(objectKey(shardId, w.key()), k -> new ArrayList<>());
            w.metrics().forEach((metric, aggregate) -> rows.add(AggregateRow.of(w.key(), metric, aggregate)));
        }
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        rowsByObject.forEach((objectKey, rows) -> futures.add(CompletableFuture.runAsync(() -> replaceRows(objectKey, rows), io)));
        try {
            futures.forEach(CompletableFuture::join);
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        return List.copyOf(rowsByObject.keySet());
    }

    /** The rows currently stored under {@code objectKey}, none if it does not exist. */
    public List<AggregateRow> read(String objectKey) {
        Path tmp = null;
        try {
            byte[] bytes = s3.getObjectAsBytes(b -> b.bucket(bucket).key(objectKey)).asByteArray();
            tmp = Files.createTempFile("aggregates-read-", ".parquet");
            Files.write(tmp, bytes);
            return AggregateParquetFormat.read(tmp);
        } catch (NoSuchKeyException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("lake object s3://" + bucket + "/" + objectKey + ": cannot read it as Parquet", e);
        } finally {
            deleteQuietly(tmp);
        }
    }

    private void replaceRows(String objectKey, List<AggregateRow> rows) {
        Map<String, AggregateRow> merged = new LinkedHashMap<>();
        for (AggregateRow existing : read(objectKey)) {
            merged.put(existing.identity(), existing);
        }
        for (AggregateRow row : rows) {
            merged.put(row.identity(), row);
        }
        List<AggregateRow> sorted = new ArrayList<>(merged.values());
        sorted.sort(Comparator.comparing(AggregateRow::deviceId).thenComparing(AggregateRow::metric));
        Path tmp = null;
        try {
            tmp = Files.createTempFile("aggregates-write-", ".parquet");
            AggregateParquetFormat.write(tmp, sorted);
            s3.putObject(b -> b.bucket(bucket).key(objectKey).contentType("application/vnd.apache.parquet"),
                    RequestBody.fromFile(tmp));
        } catch (IOException e) {
            throw new UncheckedIOException("lake object s3://" + bucket + "/" + objectKey + ": cannot write " + sorted.size()
                    + " rows as Parquet", e);
        } finally {
            deleteQuietly(tmp);
        }
    }

    private static void deleteQuietly(Path tmp) {
        if (tmp != null) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // a leftover temp file in /tmp is harmless; the write's own outcome is what matters
            }
        }
    }
}
