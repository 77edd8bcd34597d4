package io.github.iottelemetry.core.aggregate;

import io.github.iottelemetry.core.payload.Reading;
import io.github.iottelemetry.core.payload.TelemetryMessage;
import io.github.iottelemetry.core.window.Resolution;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Folds messages into event-time tumbling windows per (deviceId, metric) for a set of resolutions.
 * Each reading goes to the window of its own {@code ts}; a message may span windows. Folding is
 * idempotent per message and window: a (deviceId, seq) already applied to a window is skipped there,
 * so a duplicate or a replay changes nothing. Not thread-safe: one aggregator per shard.
 *
 * <p>Window lifetime (watermarks, lateness) belongs to the caller: it drains the windows it
 * considers closed with {@link #drainEndingAtOrBefore(long)}.
 */
public final class WindowAggregator {
    private final List<Resolution> resolutions;
    private final Map<String, DeviceWindows> devices = new HashMap<>();
    private long foldToken;
    private int openWindows;

    public WindowAggregator(List<Resolution> resolutions) {
        if (resolutions.isEmpty()) {
            throw new IllegalArgumentException("at least one resolution is needed");
        }
        this.resolutions = List.copyOf(resolutions);
    }

    public List<Resolution> resolutions() {
        return resolutions;
    }

    /** Outcome of folding one message. */
    public record Fold(int valuesApplied, int valuesSkippedAsDuplicate) {
        /** True when nothing was new: the whole message had been applied before. */
        public boolean duplicate() {
            return valuesApplied == 0 && valuesSkippedAsDuplicate > 0;
        }
    }

    public Fold fold(TelemetryMessage message) {
        long token = ++foldToken;
        DeviceWindows dw = devices.get(message.deviceId());
        if (dw == null) {
            dw = new DeviceWindows(message.deviceId(), resolutions.size());
            devices.put(message.deviceId(), dw);
        }
        long seq = message.seq();
        int applied = 0;
        int skipped = 0;
        List<Reading> readings = message.readings();
        for (int r = 0; r < resolutions.size(); r++) {
            Resolution res = resolutions.get(r);
            for (int i = 0; i < readings.size(); i++) {
                Reading reading = readings.get(i);
                long ts = reading.ts();
                MetricAggregate[] aggs =
                        dw.window(this, r, res, res.windowStart(ts)).aggregatesFor(reading);
                for (int k = 0; k < aggs.length; k++) {
                    MetricAggregate agg = aggs[k];
                    if (agg.openMessage(seq, token)) {
                        agg.add(ts, seq, i, reading.value(k));
                        if (r == 0) {
                            applied++;
                        }
                    } else if (r == 0) {
                        skipped++;
                    }
                }
            }
        }
        return new Fold(applied, skipped);
    }

    public int openWindowCount() {
        return openWindows;
    }

    /** Removes and returns every window whose end is at or before {@code time}, oldest first. */
    public List<WindowAggregate> drainEndingAtOrBefore(long time) {
        List<WindowAggregate> out = new ArrayList<>();
        Iterator<DeviceWindows> devs = devices.values().iterator();
        while (devs.hasNext()) {
            DeviceWindows dw = devs.next();
            for (int r = 0; r < resolutions.size(); r++) {
                Resolution res = resolutions.get(r);
                Iterator<Map.Entry<Long, Window>> it = dw.windows[r].entrySet().iterator();
                while (it.hasNext()) {
                    Map.Entry<Long, Window> e = it.next();
                    if (e.getKey() + res.millis() <= time) {
                        out.add(new WindowAggregate(new WindowKey(dw.deviceId, res, e.getKey()), e.getValue().metrics));
                        it.remove();
                        openWindows--;
                        dw.forget(r, e.getKey());
                    }
                }
            }
            if (dw.isEmpty()) {
                devs.remove();
            }
        }
        out.sort((a, b) -> Long.compare(a.key().windowStart(), b.key().windowStart()));
        return out;
    }

    /** Removes and returns every window. */
    public List<WindowAggregate> drainAll() {
        return drainEndingAtOrBefore(Long.MAX_VALUE);
    }

    /** The current windows without removing them (copies of the aggregates). */
    public List<WindowAggregate> snapshot() {
        List<WindowAggregate> out = new ArrayList<>();
        for (DeviceWindows dw : devices.values()) {
            for (int r = 0; r < resolutions.size(); r++) {
                for (Map.Entry<Long, Window> e : dw.windows[r].entrySet()) {
                    Map<String, MetricAggregate> copy = new HashMap<>();
                    e.getValue().metrics.forEach((k, v) -> copy.put(k, v.copy()));
                    out.add(new WindowAggregate(new WindowKey(dw.deviceId, resolutions.get(r), e.getKey()), copy));
                }
            }
        }
        return out;
    }

    /**
     * One device window's aggregates by metric. Devices send the same metric set message after message,
     * so the aggregates for the last seen list of names are cached as an array and a reading with the
     * same names (the decoder hands out canonical name strings) skips the map lookups.
     */
    private static final class Window {
        final Map<String, MetricAggregate> metrics = new HashMap<>(8);
        private String[] cachedNames = new String[0];
        private MetricAggregate[] cachedAggregates = new MetricAggregate[0];

        MetricAggregate[] aggregatesFor(Reading reading) {
            int n = reading.metricCount();
            if (n == cachedNames.length) {
                int k = 0;
                while (k < n && sameName(cachedNames[k], reading.metricName(k))) {
                    k++;
                }
                if (k == n) {
                    return cachedAggregates;
                }
            }
            String[] names = new String[n];
            MetricAggregate[] aggs = new MetricAggregate[n];
            for (int k = 0; k < n; k++) {
                names[k] = reading.metricName(k);
                aggs[k] = metrics.computeIfAbsent(names[k], name -> new MetricAggregate());
            }
            cachedNames = names;
            cachedAggregates = aggs;
            return aggs;
        }

        private static boolean sameName(String a, String b) {
            return a == b || a.equals(b);
        }
    }

    /** One device's open windows per resolution, with the most recent window cached. */
    private static final class DeviceWindows {
        final String deviceId;
        final Map<Long, Window>[] windows;
        final long[] lastStart;
        final Window[] lastWindow;

        @SuppressWarnings("unchecked")
        DeviceWindows(String deviceId, int resolutions) {
            this.deviceId = deviceId;
            this.windows = new Map[resolutions];
            this.lastWindow = new Window[resolutions];
            this.lastStart = new long[resolutions];
            for (int i = 0; i < resolutions; i++) {
                windows[i] = new HashMap<>(4);
            }
        }

        Window window(WindowAggregator owner, int r, Resolution res, long start) {
            if (lastWindow[r] != null && lastStart[r] == start) {
                return lastWindow[r];
            }
            Window w = windows[r].get(start);
            if (w == null) {
                w = new Window();
                windows[r].put(start, w);
                owner.openWindows++;
            }
            lastWindow[r] = w;
            lastStart[r] = start;
            return w;
        }

        void forget(int r, long start) {
            if (lastWindow[r] != null && lastStart[r] == start) {
                lastWindow[r] = null;
            }
        }

        boolean isEmpty() {
            for (Map<Long, Window> w : windows) {
                if (!w.isEmpty()) {
                    return false;
                }
            }
            return true;
        }
    }
}
