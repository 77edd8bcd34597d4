package io.github.iottelemetry.processor.output.dynamodb;

import io.github.iottelemetry.core.window.Resolution;
import java.time.Duration;

/**
 * How long the aggregates table keeps a window after its end (the item's {@code expiresAt}): DynamoDB is the hot tier,
 * so windows shorter than an hour ({@code 1m}) can go sooner than hourly and longer ones, while the lake keeps them all.
 *
 * @param shortWindows for windows shorter than an hour
 * @param longWindows for windows of an hour or longer
 */
public record AggregatesTimeToLive(Duration shortWindows, Duration longWindows) {
    private static final long HOUR_MILLIS = 3_600_000L;

    /** The same time to live for every resolution. */
    public static AggregatesTimeToLive uniform(Duration timeToLive) {
        return new AggregatesTimeToLive(timeToLive, timeToLive);
    }

    public Duration of(Resolution resolution) {
        return resolution.millis() < HOUR_MILLIS ? shortWindows : longWindows;
    }
}
