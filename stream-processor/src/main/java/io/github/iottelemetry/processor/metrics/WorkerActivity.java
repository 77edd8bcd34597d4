package io.github.iottelemetry.processor.metrics;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What this worker did, for the local console's live view (published by {@code LiveMetrics} on the local cloud
 * only): records read per shard with the shard's iterator age (how old the last record of a batch was when the
 * worker got it, as Lambda's IteratorAge), windows written, failed writes, and the window close -> durable lag of
 * the last minute per output.
 */
public final class WorkerActivity {

    private static final long RECENT_MILLIS = 60_000;
    private static final int RECENT_MAX_SAMPLES = 100_000;
    private static final int PUBLISHED_SAMPLES = 5_000;

    private final Map<String, Shard> shards = new ConcurrentHashMap<>();
    private final LongAdder records = new LongAdder();
    private final LongAdder windowsWritten = new LongAdder();
    private final LongAdder writeFailures = new LongAdder();
    /** Per stage ("Detected": the worker closed the window; "DynamoDB", "Lake": durable there): (at, lag) samples. */
    private final Map<String, Deque<long[]>> recentLag = new java.util.LinkedHashMap<>();

    /** The lag key of windows the worker has closed and is about to write. */
    public static final String DETECTED = "Detected";

    private static final class Shard {
        final LongAdder records = new LongAdder();
        volatile long iteratorAgeMillis = -1;
        volatile boolean owned = true;
    }

    public WorkerActivity() {
        recentLag.put(DETECTED, new ArrayDeque<>());
        for (CloseToDurableLag.Output output : CloseToDurableLag.Output.values()) {
            recentLag.put(output.dimension(), new ArrayDeque<>());
        }
    }

    /** A batch of {@code count} records from {@code shard}, the last of which arrived in Kinesis at {@code lastArrival}. */
    public void read(String shard, int count, long lastArrival, long now) {
        Shard s = shards.computeIfAbsent(shard, id -> new Shard());
        s.owned = true;
        s.records.add(count);
        records.add(count);
        if (count > 0) {
            s.iteratorAgeMillis = Math.max(0, now - lastArrival);
        }
    }

    /** The worker no longer holds the shard (lease lost, or the shard ended). */
    public void released(String shard) {
        Shard s = shards.get(shard);
        if (s != null) {
            s.owned = false;
        }
    }

    public void written(int windows) {
        windowsWritten.add(windows);
    }

    public void writeFailed() {
        writeFailures.increment();
    }

    /**
     * The same samples as {@link CloseToDurableLag}: window {@code i}, ready at {@code readyAt[i]}, became durable in
     * {@code output} at {@code durableAt[i]}.
     */
    public synchronized void durable(List<Long> readyAt, CloseToDurableLag.Output output, List<Long> durableAt) {
        for (int i = 0; i < readyAt.size(); i++) {
            record(List.of(readyAt.get(i)), output.dimension(), durableAt.get(i));
        }
    }

    /**
     * Windows ready at {@code readyAt} that the worker closed at {@code closedAt}, before writing them: how much of the
     * lag is noticing (the first reading past a window's end plus lateness reaching the worker) rather than writing.
     */
    public synchronized void closed(Collection<Long> readyAt, long closedAt) {
        record(readyAt, DETECTED, closedAt);
    }

    private void record(Collection<Long> readyAt, String stage, long durableAt) {
        Deque<long[]> samples = recentLag.get(stage);
        for (long ready : readyAt) {
            if (durableAt >= ready) {
                samples.addLast(new long[] {durableAt, durableAt - ready});
            }
        }
        while (samples.size() > RECENT_MAX_SAMPLES) {
            samples.removeFirst();
        }
    }

    /** Counters, per-shard progress and the last minute's lag percentiles (nearest rank). */
    public synchronized Map<String, Object> snapshot(long now) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("recordsRead", records.sum());
        values.put("windowsWritten", windowsWritten.sum());
        values.put("writeFailures", writeFailures.sum());
        Map<String, Object> perShard = new TreeMap<>();
        shards.forEach((id, s) -> perShard.put(
                id, Map.of("recordsRead", s.records.sum(), "iteratorAgeMs", s.iteratorAgeMillis, "owned", s.owned)));
        values.put("shards", perShard);
        Map<String, Object> lag = new LinkedHashMap<>();
        recentLag.forEach((output, samples) -> {
            while (!samples.isEmpty() && samples.peekFirst()[0] < now - RECENT_MILLIS) {
                samples.removeFirst();
            }
            List<Long> sorted = new ArrayList<>(samples.size());
            samples.forEach(sample -> sorted.add(sample[1]));
            sorted.sort(null);
            Map<String, Object> percentiles = new LinkedHashMap<>();
            percentiles.put("windows", (long) sorted.size());
            if (!sorted.isEmpty()) {
                percentiles.put("p50", CloseToDurableLag.percentile(sorted, 0.50));
                percentiles.put("p99", CloseToDurableLag.percentile(sorted, 0.99));
            }
            // The values themselves (every n-th when there are many), so a reader merges workers exactly enough.
            List<Long> kept = new ArrayList<>();
            int step = Math.max(1, sorted.size() / PUBLISHED_SAMPLES);
            for (int i = 0; i < sorted.size(); i += step) {
                kept.add(sorted.get(i));
            }
            percentiles.put("samples", kept);
            lag.put(output, percentiles);
        });
        values.put("closeToDurable", lag);
        return values;
    }
}
