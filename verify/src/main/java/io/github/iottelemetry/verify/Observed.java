package io.github.iottelemetry.verify;

/** An aggregate as an output holds it (DynamoDB item or the lake's rows merged with GROUP BY), or as expected. */
public record Observed(
        long count,
        double sum,
        double min,
        double max,
        long firstTs,
        double firstValue,
        long lastTs,
        double lastValue) {

    /** Sums added in different orders differ in their last bits: equal within this relative error. */
    static final double SUM_TOLERANCE = 1e-9;

    /** Equal in every field, the sum within the relative tolerance that summation order allows. */
    public boolean matches(Observed o) {
        return count == o.count
                && min == o.min
                && max == o.max
                && firstTs == o.firstTs
                && firstValue == o.firstValue
                && lastTs == o.lastTs
                && lastValue == o.lastValue
                && Math.abs(sum - o.sum) <= SUM_TOLERANCE * Math.max(1.0, Math.max(Math.abs(sum), Math.abs(o.sum)));
    }
}
