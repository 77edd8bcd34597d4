package io.github.iottelemetry.processor.replay;

import io.github.iottelemetry.core.payload.Reading;
import io.github.iottelemetry.core.payload.TelemetryMessage;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The aggregates the outputs must hold, computed here by hand from the distinct messages, without the
 * project's aggregation code: per (resolution, device, metric, window start) count, sum, min, max, and the
 * first and last value by (ts, seq, index in readings). Values in the tests are multiples of 1/8, so sums are
 * exact in any order.
 */
public final class HandAggregates {
    private HandAggregates() {}

    /** Key {@code resolution|device|metric|windowStart}, value as {@link #describe} writes it. */
    public static Map<String, String> of(List<TelemetryMessage> messages, Map<String, Long> resolutions) {
        Map<String, double[]> acc =
                new TreeMap<>(); // count, sum, min, max, firstTs, firstSeq, firstIndex, firstValue, lastTs, lastSeq,
        // lastIndex, lastValue
        Set<String> seen = new HashSet<>();
        for (TelemetryMessage m : messages) {
            if (!seen.add(m.deviceId() + "#" + m.seq())) {
                continue;
            }
            for (Map.Entry<String, Long> res : resolutions.entrySet()) {
                for (int i = 0; i < m.readings().size(); i++) {
                    Reading r = m.readings().get(i);
                    long windowStart = Math.floorDiv(r.ts(), res.getValue()) * res.getValue();
                    for (Map.Entry<String, Double> metric : r.metrics().entrySet()) {
                        String key = res.getKey() + "|" + m.deviceId() + "|" + metric.getKey() + "|" + windowStart;
                        double v = metric.getValue();
                        double[] a = acc.computeIfAbsent(key, k -> new double[] {
                            0,
                            0,
                            Double.MAX_VALUE,
                            -Double.MAX_VALUE,
                            Double.MAX_VALUE,
                            0,
                            0,
                            0,
                            -Double.MAX_VALUE,
                            0,
                            0,
                            0
                        });
                        a[0]++;
                        a[1] += v;
                        a[2] = Math.min(a[2], v);
                        a[3] = Math.max(a[3], v);
                        if (lexLess(r.ts(), m.seq(), i, a[4], a[5], a[6])) {
                            a[4] = r.ts();
                            a[5] = m.seq();
                            a[6] = i;
                            a[7] = v;
                        }
                        if (lexLess(a[8], a[9], a[10], r.ts(), m.seq(), i)) {
                            a[8] = r.ts();
                            a[9] = m.seq();
                            a[10] = i;
                            a[11] = v;
                        }
                    }
                }
            }
        }
        Map<String, String> out = new TreeMap<>();
        acc.forEach(
                (k, a) -> out.put(k, describe((long) a[0], a[1], a[2], a[3], a[7], (long) a[4], a[11], (long) a[8])));
        return out;
    }

    public static String describe(
            long count, double sum, double min, double max, double first, long firstTs, double last, long lastTs) {
        return count + " sum=" + sum + " min=" + min + " max=" + max + " first=" + first + "@" + firstTs + " last="
                + last + "@" + lastTs;
    }

    private static boolean lexLess(double ts1, double seq1, double i1, double ts2, double seq2, double i2) {
        if (ts1 != ts2) {
            return ts1 < ts2;
        }
        if (seq1 != seq2) {
            return seq1 < seq2;
        }
        return i1 < i2;
    }
}
