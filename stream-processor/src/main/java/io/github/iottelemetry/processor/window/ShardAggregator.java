package io.github.iottelemetry.processor.window;

import io.github.iottelemetry.core.aggregate.MetricAggregate;
import io.github.iottelemetry.core.aggregate.SeqSet;
import io.github.iottelemetry.core.aggregate.WindowAggregate;
import io.github.iottelemetry.core.aggregate.WindowAggregator;
import io.github.iottelemetry.core.aggregate.WindowKey;
import io.github.iottelemetry.core.payload.Reading;
import io.github.iottelemetry.core.payload.TelemetryMessage;
import io.github.iottelemetry.core.window.Resolution;
import io.github.iottelemetry.processor.checkpoint.DurabilityTracker;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One shard's event-time tumbling windows.
 *
 * <p>Semantics: the watermark is the newest reading time seen on the shard minus the allowed lateness.
 * A window {@code [start, end)} closes when the watermark reaches its end, when the shard has been idle
 * for the idle timeout, or when it has been open longer than the maximum open duration. A reading whose
 * window has already closed (but is within the correction horizon, which the validator enforces) opens a
 * fresh window for the same key: a correction delta that closes at the next check and is merged into the
 * stored aggregate like any other. A message whose (deviceId, seq) was already seen on this shard is a
 * duplicate: dropped whole and counted.
 *
 * <p>Not thread-safe: one instance per shard, driven by the shard's record processor.
 */
public final class ShardAggregator {
    private final AggregationSettings settings;
    private final long latenessMillis;
    private final WindowAggregator windows;
    private final DurabilityTracker durability = new DurabilityTracker();
    /** Per device on this shard: the seqs seen and the messages not yet checkpointed (one lookup per message). */
    private final Map<String, DeviceLog> devices = new HashMap<>();
    /** When each open window got its first record (wall clock): a correction's window is writable only from then. */
    private final Map<WindowKey, Long> openedAt = new HashMap<>();
    /** Closed windows not yet durable: the wall-clock moment each became writable (see {@link #readyAt}). */
    private final Map<WindowKey, Long> readyAt = new HashMap<>();

    private long maxEventTime = Long.MIN_VALUE;
    private long lastArrivalWallMillis;
    private long lastFullFlushWallMillis;
    private final ShardStats stats = new ShardStats();

    private record PendingMessage(long index, TelemetryMessage message) {}

    /** The seqs seen from one device, and its messages not yet checkpointed in arrival order (the source for exact deltas). */
    private static final class DeviceLog {
        final SeqSet seen = new SeqSet();
        final ArrayDeque<PendingMessage> pending = new ArrayDeque<>(4);
    }

    public ShardAggregator(AggregationSettings settings, long nowWallMillis) {
        this.settings = settings;
        this.latenessMillis = settings.allowedLateness().toMillis();
        this.windows = new WindowAggregator(settings.resolutions());
        this.lastArrivalWallMillis = nowWallMillis;
        this.lastFullFlushWallMillis = nowWallMillis;
    }

    /** Newest event time seen minus the allowed lateness; {@code Long.MIN_VALUE} before any reading. */
    public long watermark() {
        return maxEventTime == Long.MIN_VALUE ? Long.MIN_VALUE : maxEventTime - latenessMillis;
    }

    /** A record that carries nothing to aggregate (invalid): durable as soon as it is seen. */
    public void skip(String sequenceNumber, long nowWallMillis) {
        durability.arrived(sequenceNumber);
        lastArrivalWallMillis = nowWallMillis;
        stats.invalidRecords++;
    }

    /** Folds a valid message; returns false when it was a duplicate and was dropped. */
    public boolean add(String sequenceNumber, TelemetryMessage message, long nowWallMillis) {
        long index = durability.arrived(sequenceNumber);
        lastArrivalWallMillis = nowWallMillis;
        DeviceLog log = devices.get(message.deviceId());
        if (log == null) {
            log = new DeviceLog();
            devices.put(message.deviceId(), log);
        }
        if (!log.seen.add(message.seq())) {
            stats.duplicateMessages++;
            return false;
        }
        long watermark = watermark();
        Resolution finest = settings.resolutions().get(0);
        List<Reading> readings = message.readings();
        for (Reading reading : readings) {
            long ts = reading.ts();
            if (finest.windowEnd(ts) <= watermark) {
                stats.correctionReadings++;
            }
            maxEventTime = Math.max(maxEventTime, ts);
        }
        int openBefore = windows.openWindowCount();
        windows.fold(message);
        if (windows.openWindowCount() != openBefore) {
            // This message opened at least one window: it is that window's first contributor. Readings of a
            // message are mostly in one window, so each distinct window start is registered once.
            for (Resolution resolution : settings.resolutions()) {
                long previousStart = Long.MIN_VALUE;
                for (Reading reading : readings) {
                    long start = resolution.windowStart(reading.ts());
                    if (start != previousStart) {
                        WindowKey key = new WindowKey(message.deviceId(), resolution, start);
                        durability.contributed(key, index);
                        openedAt.putIfAbsent(key, nowWallMillis);
                        previousStart = start;
                    }
                }
            }
        }
        log.pending.addLast(new PendingMessage(index, message));
        stats.messages++;
        stats.readings += readings.size();
        return true;
    }

    /**
     * Removes the windows that are due: all of them when the shard is idle or the maximum open duration
     * has passed, else those whose end the watermark has reached. The caller writes them and then calls
     * {@link #durable}.
     */
    public List<WindowAggregate> closeDue(long nowWallMillis) {
        if (windows.openWindowCount() == 0) {
            lastFullFlushWallMillis = nowWallMillis;
            return List.of();
        }
        boolean idle =
                nowWallMillis - lastArrivalWallMillis >= settings.idleTimeout().toMillis();
        boolean openTooLong = nowWallMillis - lastFullFlushWallMillis
                >= settings.maxOpenDuration().toMillis();
        if (idle || openTooLong) {
            return closeAll(nowWallMillis);
        }
        return closed(windows.drainEndingAtOrBefore(watermark()));
    }

    /** Removes every open window (shutdown, or a forced flush). */
    public List<WindowAggregate> closeAll(long nowWallMillis) {
        lastFullFlushWallMillis = nowWallMillis;
        return closed(windows.drainAll());
    }

    private List<WindowAggregate> closed(List<WindowAggregate> drained) {
        for (WindowAggregate window : drained) {
            WindowKey key = window.key();
            Long opened = openedAt.remove(key);
            readyAt.put(key, Math.max(key.windowEnd() + latenessMillis, opened == null ? Long.MIN_VALUE : opened));
        }
        return drained;
    }

    /**
     * When a closed window became writable, on the wall clock: its end plus the allowed lateness, or, for a window a
     * late correction opened after that, the moment the correction arrived. Window close to durable is measured from
     * here (device clocks are taken to agree with the worker's).
     */
    public long readyAt(WindowKey window) {
        Long ready = readyAt.get(window);
        return ready == null ? window.windowEnd() + latenessMillis : ready;
    }

    /** The windows returned by a close are written to both outputs. */
    public void durable(List<WindowAggregate> written) {
        durability.durable(written.stream().map(WindowAggregate::key).toList());
        written.forEach(window -> readyAt.remove(window.key()));
        stats.windowsWritten += written.size();
    }

    /** The sequence number to checkpoint at, if it moved; forgets the messages it covers. */
    public Optional<String> checkpointPosition() {
        Optional<String> position = durability.advance();
        if (position.isPresent()) {
            long keepFrom = durability.firstNotDurableIndex();
            for (DeviceLog log : devices.values()) {
                ArrayDeque<PendingMessage> pending = log.pending;
                while (!pending.isEmpty() && pending.peekFirst().index() < keepFrom) {
                    pending.pollFirst();
                }
            }
        }
        return position;
    }

    /**
     * The aggregate of {@code metric} in {@code window} over the messages not yet checkpointed whose seq
     * is not in {@code exclude}: the exact delta to merge onto a stored aggregate that already holds
     * some, but not all, of this worker's messages (after a replay). Every message of an unwritten window
     * is still pending, so nothing is missed.
     */
    public MetricAggregate deltaExcluding(WindowKey window, String metric, SeqSet exclude) {
        MetricAggregate delta = new MetricAggregate();
        DeviceLog log = devices.get(window.deviceId());
        if (log == null) {
            return delta;
        }
        ArrayDeque<PendingMessage> pending = log.pending;
        Resolution resolution = window.resolution();
        for (PendingMessage p : pending) {
            TelemetryMessage m = p.message();
            if (exclude.contains(m.seq()) || delta.containsMessage(m.seq())) {
                continue;
            }
            List<Reading> readings = m.readings();
            boolean opened = false;
            for (int i = 0; i < readings.size(); i++) {
                Reading r = readings.get(i);
                if (resolution.windowStart(r.ts()) != window.windowStart()) {
                    continue;
                }
                for (int k = 0; k < r.metricCount(); k++) {
                    if (r.metricName(k).equals(metric)) {
                        if (!opened) {
                            delta.openMessage(m.seq(), -2 - p.index());
                            opened = true;
                        }
                        delta.add(r.ts(), m.seq(), i, r.value(k));
                    }
                }
            }
        }
        return delta;
    }

    public int openWindows() {
        return windows.openWindowCount();
    }

    public int recordsNotCheckpointed() {
        return durability.recordsNotCheckpointed();
    }

    public ShardStats stats() {
        return stats;
    }
}
