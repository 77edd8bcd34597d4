package io.github.iottelemetry.processor.window;

import io.github.iottelemetry.core.window.Resolution;
import java.time.Duration;
import java.util.List;

/**
 * How a shard's windows are formed and when they close.
 *
 * @param resolutions window sizes, every reading goes to one window of each
 * @param allowedLateness the watermark trails the newest event time seen by this much
 * @param idleTimeout when the shard has delivered nothing for this long, every open window closes
 * @param maxOpenDuration an open window is written (as a partial aggregate) at the latest this long
 *                        after its first reading arrived, which bounds replay and memory for long windows
 */
public record AggregationSettings(
        List<Resolution> resolutions, Duration allowedLateness, Duration idleTimeout, Duration maxOpenDuration) {
    public AggregationSettings {
        resolutions = List.copyOf(resolutions);
        if (resolutions.isEmpty()) {
            throw new IllegalArgumentException("aggregation needs at least one resolution");
        }
        if (allowedLateness.isNegative() || idleTimeout.isNegative() || maxOpenDuration.isNegative()) {
            throw new IllegalArgumentException("allowedLateness, idleTimeout and maxOpenDuration must not be negative: "
                    + allowedLateness + ", " + idleTimeout + ", " + maxOpenDuration);
        }
    }
}
