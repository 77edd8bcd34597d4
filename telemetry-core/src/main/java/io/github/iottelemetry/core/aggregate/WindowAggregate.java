package io.github.iottelemetry.core.aggregate;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/** The per-metric aggregates of one device window. */
public final class WindowAggregate {
    private final WindowKey key;
    private final Map<String, MetricAggregate> metrics;

    WindowAggregate(WindowKey key, Map<String, MetricAggregate> metrics) {
        this.key = key;
        this.metrics = metrics;
    }

    public WindowKey key() {
        return key;
    }

    /** Metric name to aggregate, sorted by name. */
    public Map<String, MetricAggregate> metrics() {
        return Collections.unmodifiableMap(new TreeMap<>(metrics));
    }

    public MetricAggregate metric(String name) {
        return metrics.get(name);
    }

    /** Readings' values in this window over all metrics. */
    public long valueCount() {
        long n = 0;
        for (MetricAggregate m : metrics.values()) {
            n += m.count();
        }
        return n;
    }

    @Override
    public String toString() {
        return key + " " + metrics();
    }
}
