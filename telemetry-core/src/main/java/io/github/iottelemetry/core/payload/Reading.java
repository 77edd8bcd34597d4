package io.github.iottelemetry.core.payload;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One timestamped set of metric values inside a telemetry message: {@code {"ts": ..., "m": {...}}}.
 * Metric names and values are kept in parallel arrays, in payload order, so decoding allocates little.
 */
public final class Reading {
    private final long ts;
    private final String[] names;
    private final double[] values;

    /** Takes ownership of the arrays; callers outside this package use {@link #of}. */
    Reading(long ts, String[] names, double[] values) {
        this.ts = ts;
        this.names = names;
        this.values = values;
    }

    /** A reading with the metrics in the map's iteration order. */
    public static Reading of(long ts, Map<String, ? extends Number> metrics) {
        String[] names = new String[metrics.size()];
        double[] values = new double[metrics.size()];
        int i = 0;
        for (Map.Entry<String, ? extends Number> e : metrics.entrySet()) {
            names[i] = Objects.requireNonNull(e.getKey(), "metric name");
            values[i] = e.getValue().doubleValue();
            i++;
        }
        return new Reading(ts, names, values);
    }

    public long ts() {
        return ts;
    }

    public int metricCount() {
        return names.length;
    }

    public String metricName(int i) {
        return names[i];
    }

    public double value(int i) {
        return values[i];
    }

    /** The value of a metric, or NaN when this reading does not carry it. */
    public double value(String metric) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(metric)) {
                return values[i];
            }
        }
        return Double.NaN;
    }

    public Map<String, Double> metrics() {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < names.length; i++) {
            m.put(names[i], values[i]);
        }
        return m;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Reading r && r.ts == ts && Arrays.equals(r.names, names) && Arrays.equals(r.values, values);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Long.hashCode(ts) + Arrays.hashCode(names)) + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "Reading{ts=" + ts + ", m=" + metrics() + "}";
    }
}
