package io.github.iottelemetry.processor.output.parquet;

import io.github.iottelemetry.core.aggregate.WindowKey;
import io.github.iottelemetry.core.lake.LakeLayout;
import io.github.iottelemetry.processor.output.RecentlyWritten;
import io.github.iottelemetry.processor.output.StoredWindow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Writes window aggregates to the lake as Parquet, under {@link LakeLayout#aggregatesKey}: one object per
 * resolution, window start and device bucket, whichever shard, worker or replay writes it.
 *
 * <p>Invariant: every row of a lake object is the most complete aggregate of its (device, metric, window) that any
 * writer has put there, because a writer replaces a row only with one of more samples (or as many, from a newer
 * item version) and puts the object only if it is unchanged since it read it (S3 conditional writes:
 * {@code If-Match} on the ETag it read, {@code If-None-Match: *} for a new object), reading again after a conflict.
 * A window's DynamoDB aggregate only ever gains messages, so "more samples" is "newer"; unlike the item version,
 * it still holds when an item is deleted and rebuilt (a restore, then {@code processor replay}).
 *
 * <p>So the lake shows each window once and never goes back: after a reshard the parent's and the child's writes
 * of a window meet in one object, where the child's (holding the parent's messages too) wins; a worker that lost
 * its lease and writes late cannot replace a newer row with its older one, nor lose another writer's rows; a
 * replay of what is already there changes nothing and writes nothing.
 *
 * <p>An object this writer has not written before is almost always new (the next window's), so the first attempt
 * skips the read and puts it on {@code If-None-Match: *}; if it exists after all, that fails like any conflict and the
 * write goes on from a read.
 */
public final class LakeAggregatesWriter {
    private static final int MAX_ATTEMPTS = 20;
    private static final long BASE_BACKOFF_MILLIS = 10;
    private static final int REMEMBERED = 10_000;

    private final S3Client s3;
    private final String bucket;
    private final ExecutorService io;
    /** Objects this writer has put lately. */
    private final RecentlyWritten<String> written = new RecentlyWritten<>(REMEMBERED);

    public LakeAggregatesWriter(S3Client s3, String bucket, ExecutorService io) {
        this.s3 = s3;
        this.bucket = bucket;
        this.io = io;
    }

    /**
     * Writes and reads one row as Parquet in memory: loads and compiles the Parquet and Hadoop code once at start, so the
     * first burst of windows does not wait for it (about a second on a busy 2-core machine).
     */
    public static void warmUp() {
        AggregateRow row = new AggregateRow("warm-up", "metric", 0, 60_000, 1, 1, 1, 1, 0, 1, 0, 1, 1);
        try {
            List<AggregateRow> back = AggregateParquetFormat.read(AggregateParquetFormat.write(List.of(row)));
            if (!back.equals(List.of(row))) {
                throw new IllegalStateException("Parquet round trip changed a row: " + row + " -> " + back);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write or read Parquet in memory", e);
        }
    }

    /** The lake object a window's rows belong in. */
    public static String objectKey(WindowKey window) {
        return LakeLayout.aggregatesKey(window.resolution(), window.windowStart(), window.deviceId());
    }

    /** Writes the windows' rows; returns the keys of the objects that changed. Fails if any object cannot be written. */
    public List<String> write(List<StoredWindow> windows) {
        Map<String, List<StoredWindow>> byObject = new TreeMap<>();
        for (StoredWindow w : windows) {
            byObject.computeIfAbsent(objectKey(w.key()), k -> new ArrayList<>()).add(w);
        }
        Map<String, CompletableFuture<Boolean>> writes = new TreeMap<>();
        byObject.forEach((objectKey, inObject) -> writes.put(objectKey, writeObjectAsync(objectKey, inObject)));
        List<String> changed = new ArrayList<>();
        try {
            writes.forEach((objectKey, write) -> {
                if (write.join()) {
                    changed.add(objectKey);
                }
            });
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        return changed;
    }

    /**
     * Writes the rows of {@code windows}, which all belong in {@code objectKey} ({@link #objectKey}), on the writer's
     * threads; true when the object changed.
     */
    public CompletableFuture<Boolean> writeObjectAsync(String objectKey, List<StoredWindow> windows) {
        List<AggregateRow> rows = new ArrayList<>();
        for (StoredWindow w : windows) {
            if (!objectKey.equals(objectKey(w.key()))) {
                throw new IllegalArgumentException(
                        "window " + w.key() + " belongs in lake object " + objectKey(w.key()) + ", not " + objectKey);
            }
            w.metrics()
                    .forEach((metric, aggregate) -> rows.add(AggregateRow.of(w.key(), metric, aggregate, w.version())));
        }
        return CompletableFuture.supplyAsync(() -> replaceRows(objectKey, rows), io);
    }

    /** The rows currently stored under {@code objectKey}, none if it does not exist. */
    public List<AggregateRow> read(String objectKey) {
        return fetch(objectKey).map(StoredObject::rows).orElse(List.of());
    }

    private record StoredObject(List<AggregateRow> rows, String eTag) {}

    /** Read, keep the more complete of each row, put on the ETag read; again on a conflict. True when the object changed. */
    private boolean replaceRows(String objectKey, List<AggregateRow> rows) {
        boolean read = written.contains(objectKey);
        for (int attempt = 1; ; attempt++) {
            boolean readThisTime = read;
            Optional<StoredObject> stored = readThisTime ? fetch(objectKey) : Optional.empty();
            read = true; // from here on (a conflict, or the object existed), from what is there
            Map<String, AggregateRow> merged = new LinkedHashMap<>();
            stored.ifPresent(object -> object.rows().forEach(row -> merged.put(row.identity(), row)));
            boolean changed = false;
            for (AggregateRow row : rows) {
                AggregateRow present = merged.get(row.identity());
                if (present == null || supersedes(row, present)) {
                    merged.put(row.identity(), row);
                    changed = true;
                }
            }
            if (!changed) {
                written.add(objectKey);
                return false;
            }
            List<AggregateRow> sorted = new ArrayList<>(merged.values());
            sorted.sort(Comparator.comparing(AggregateRow::deviceId)
                    .thenComparing(AggregateRow::metric)
                    .thenComparingLong(AggregateRow::windowStartMs));
            try {
                put(objectKey, sorted, stored.map(StoredObject::eTag));
                written.add(objectKey);
                return true;
            } catch (S3Exception e) {
                // 412: another writer put the object since it was read; 409: one is putting it right now.
                if ((e.statusCode() != 412 && e.statusCode() != 409) || attempt >= MAX_ATTEMPTS) {
                    throw new IllegalStateException(
                            "lake object s3://" + bucket + "/" + objectKey + ": "
                                    + (attempt >= MAX_ATTEMPTS
                                            ? "still changing under " + attempt + " attempts to write it: "
                                            : "")
                                    + e.getMessage(),
                            e);
                }
                if (readThisTime) {
                    backOff(attempt); // another writer's put came between this one's read and put
                }
            }
        }
    }

    static boolean supersedes(AggregateRow candidate, AggregateRow present) {
        return candidate.sampleCount() > present.sampleCount()
                || (candidate.sampleCount() == present.sampleCount() && candidate.version() > present.version());
    }

    private Optional<StoredObject> fetch(String objectKey) {
        try {
            ResponseBytes<GetObjectResponse> object =
                    s3.getObjectAsBytes(b -> b.bucket(bucket).key(objectKey));
            return Optional.of(new StoredObject(
                    AggregateParquetFormat.read(object.asByteArrayUnsafe()),
                    object.response().eTag()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "lake object s3://" + bucket + "/" + objectKey + ": cannot read it as Parquet", e);
        }
    }

    private void put(String objectKey, List<AggregateRow> rows, Optional<String> expectedETag) {
        byte[] parquet;
        try {
            parquet = AggregateParquetFormat.write(rows);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "lake object s3://" + bucket + "/" + objectKey + ": cannot write " + rows.size()
                            + " rows as Parquet",
                    e);
        }
        PutObjectRequest.Builder request =
                PutObjectRequest.builder().bucket(bucket).key(objectKey).contentType("application/vnd.apache.parquet");
        expectedETag.ifPresentOrElse(request::ifMatch, () -> request.ifNoneMatch("*"));
        s3.putObject(request.build(), RequestBody.fromBytes(parquet));
    }

    private static void backOff(int attempt) {
        long cap = BASE_BACKOFF_MILLIS << Math.min(attempt, 6);
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(cap / 2, cap + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing a lake object again after a conflict", e);
        }
    }
}
