package io.github.iottelemetry.verify;

import io.github.iottelemetry.core.aggregate.MetricAggregate;

/** An aggregate as an output holds it (DynamoDB item or the lake's rows merged with GROUP BY). */
public record Observed(long count, double sum, double min, double max, long firstTs, double firstValue, long lastTs,
                       double lastValue) {

    public static Observed of(MetricAggregate a) {
        return new Observed(a.count(), a.sum(), a.min(), a.max(), a.firstTs(), a.firstValue(), a.lastTs(), a.lastValue());
    }

    /** Equal in every field, the sum within the relative tolerance that merge order allows. */
    public boolean matches(Observed o) {
        return count == o.count && min == o.min && max == o.max && firstTs == o.firstTs && firstValue == o.firstValue
                && lastTs == o.lastTs && lastValue == o.lastValue && MetricAggregate.sumsAgree(sum, o.sum);
    }
}
