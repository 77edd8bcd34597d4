package io.github.iottelemetry.processor.output.dynamodb;

import io.github.iottelemetry.core.aggregate.MetricAggregate;
import io.github.iottelemetry.core.aggregate.WindowAggregate;
import io.github.iottelemetry.core.aggregate.WindowKey;
import io.github.iottelemetry.processor.output.DeltaSource;
import io.github.iottelemetry.processor.output.RecentlyWritten;
import io.github.iottelemetry.processor.output.StoredWindow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Merges window aggregates into {@code {stack}-aggregates}, idempotently: each stored metric keeps the
 * set of message seqs it holds, and only messages not in it are added. Read, merge, conditional put on
 * the item's version (the Enhanced Client's versioned-record extension); on a conflict (another worker,
 * after a lease move) read again and re-merge; on throttling back off. Windows are written concurrently.
 *
 * <p>A window this writer has not put before is almost always new (a minute's windows close once), so its first
 * attempt skips the read: a put on the item not existing, which is the same conditional put the merge onto nothing
 * makes. When the item does exist (a replay, a correction, the other child of a split, a long window written in
 * parts by another worker), the condition fails and the write goes on as above, from a consistent read. One request
 * per new window instead of two: the aligned windows of a whole fleet close together, and each round trip is
 * queued behind the others.
 */
public final class AggregatesTableWriter {
    private static final int MAX_ATTEMPTS = 12;
    private static final long BASE_BACKOFF_MILLIS = 25;
    /** Enough for every open window of a large worker; forgetting one costs one failed conditional put. */
    static final int REMEMBERED = 100_000;

    private final DynamoDbTable<AggregateItem> table;
    private final String tableName;
    private final ExecutorService io;
    private final AggregatesTimeToLive timeToLive;
    /** Windows this writer has put lately. */
    private final RecentlyWritten<WindowKey> written = new RecentlyWritten<>(REMEMBERED);

    private final LongAdder existingOnCreate = new LongAdder();

    /** Every window expires {@code timeToLive} after its end. */
    public AggregatesTableWriter(
            DynamoDbEnhancedClient client, String tableName, ExecutorService io, Duration timeToLive) {
        this(client, tableName, io, AggregatesTimeToLive.uniform(timeToLive));
    }

    public AggregatesTableWriter(
            DynamoDbEnhancedClient client, String tableName, ExecutorService io, AggregatesTimeToLive timeToLive) {
        this.table = client.table(tableName, TableSchema.fromBean(AggregateItem.class));
        this.tableName = tableName;
        this.io = io;
        this.timeToLive = timeToLive;
    }

    /** Writes every window; returns what each item holds afterwards. Fails if any window cannot be written. */
    public List<StoredWindow> write(List<WindowAggregate> windows, DeltaSource deltas) {
        List<CompletableFuture<StoredWindow>> futures = new ArrayList<>(windows.size());
        for (WindowAggregate window : windows) {
            futures.add(writeAsync(window, deltas));
        }
        List<StoredWindow> out = new ArrayList<>(windows.size());
        try {
            for (CompletableFuture<StoredWindow> f : futures) {
                out.add(f.join());
            }
        } catch (CompletionException e) {
            futures.forEach(f -> f.cancel(false));
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        return out;
    }

    /** Writes one window on the writer's threads; the future fails if it cannot be written. */
    public CompletableFuture<StoredWindow> writeAsync(WindowAggregate window, DeltaSource deltas) {
        return CompletableFuture.supplyAsync(() -> writeOne(window, deltas), io);
    }

    /** First attempts that found the item existing although this writer had not put it (it read and merged then). */
    public long existingOnCreate() {
        return existingOnCreate.sum();
    }

    private StoredWindow writeOne(WindowAggregate window, DeltaSource deltas) {
        WindowKey key = window.key();
        Key itemKey = Key.builder()
                .partitionValue(key.partitionKey())
                .sortValue(key.windowStart())
                .build();
        boolean read = written.contains(key);
        RuntimeException last = null;
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            boolean readThisTime = read;
            try {
                AggregateItem stored =
                        readThisTime ? table.getItem(r -> r.key(itemKey).consistentRead(true)) : null;
                Merge merge = merge(key, stored, window, deltas);
                if (!merge.changed()) {
                    written.add(key);
                    return new StoredWindow(key, merge.metrics(), false, stored == null ? 0 : stored.getVersion());
                }
                table.putItem(toItem(key, stored, merge.metrics(), timeToLive));
                written.add(key);
                return new StoredWindow(key, merge.metrics(), true, versionWritten(stored));
            } catch (ConditionalCheckFailedException e) {
                last = e; // another writer got in between, or the item existed: re-read and merge onto it
                if (!readThisTime) {
                    existingOnCreate.increment();
                }
                read = true;
            } catch (SdkException e) {
                if (!e.retryable()) {
                    throw new IllegalStateException(
                            "aggregates table " + tableName + ", item " + key.partitionKey() + "/" + key.windowStart()
                                    + ": write failed: " + e.getMessage(),
                            e);
                }
                last = e;
                sleep(backoff(attempt));
            }
        }
        throw new IllegalStateException(
                "aggregates table " + tableName + ", item " + key.partitionKey() + "/"
                        + key.windowStart() + ": gave up after " + MAX_ATTEMPTS
                        + " attempts (conflicts or throttling): "
                        + last.getMessage(),
                last);
    }

    private record Merge(Map<String, MetricAggregate> metrics, boolean changed) {}

    /**
     * Per metric: nothing stored -> the local aggregate; stored holds all local messages -> stored (replay,
     * a no-op); disjoint -> merge; partial overlap -> merge the delta rebuilt without the stored messages.
     */
    static Merge merge(WindowKey key, AggregateItem stored, WindowAggregate window, DeltaSource deltas) {
        Map<String, MetricAggregate> result = new TreeMap<>();
        if (stored != null) {
            stored.getMetrics().forEach((metric, state) -> result.put(metric, state.toAggregate()));
        }
        boolean changed = false;
        for (Map.Entry<String, MetricAggregate> e : window.metrics().entrySet()) {
            MetricAggregate local = e.getValue();
            MetricAggregate before = result.get(e.getKey());
            MetricAggregate after;
            if (before == null) {
                after = local;
            } else if (before.seqs().containsAll(local.seqs())) {
                after = before;
            } else if (!before.seqs().intersects(local.seqs())) {
                after = MetricAggregate.merge(before, local);
            } else {
                MetricAggregate delta = deltas.deltaExcluding(key, e.getKey(), before.seqs());
                after = delta.count() == 0 ? before : MetricAggregate.merge(before, delta);
            }
            if (after != before) {
                result.put(e.getKey(), after);
                changed = true;
            }
        }
        return new Merge(result, changed);
    }

    /**
     * The version the Enhanced Client's VersionedRecordExtension gave the item just put: 1 for a new item (no version
     * yet, put on attribute_not_exists), else the stored one plus 1 (put on version = stored).
     */
    static long versionWritten(AggregateItem stored) {
        return stored == null || stored.getVersion() == null ? 1 : stored.getVersion() + 1;
    }

    static AggregateItem toItem(
            WindowKey key,
            AggregateItem stored,
            Map<String, MetricAggregate> metrics,
            AggregatesTimeToLive timeToLive) {
        AggregateItem item = new AggregateItem();
        item.setPk(key.partitionKey());
        item.setWindowStart(key.windowStart());
        item.setWindowEnd(key.windowEnd());
        item.setDeviceId(key.deviceId());
        item.setResolution(key.resolution().label());
        Map<String, MetricState> states = new TreeMap<>();
        metrics.forEach((metric, aggregate) -> states.put(metric, MetricState.of(aggregate)));
        item.setMetrics(states);
        item.setVersion(stored == null ? null : stored.getVersion());
        item.setExpiresAt((key.windowEnd() + timeToLive.of(key.resolution()).toMillis()) / 1000);
        item.setUpdatedAt(System.currentTimeMillis());
        return item;
    }

    private static long backoff(int attempt) {
        long cap = BASE_BACKOFF_MILLIS << Math.min(attempt, 8);
        return ThreadLocalRandom.current().nextLong(cap / 2, cap + 1);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while backing off an aggregates write", e);
        }
    }
}
