package io.github.iottelemetry.sim.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void percentilesAreWithinThreePercent() {
        LatencyHistogram histogram = new LatencyHistogram();
        for (int micros = 1; micros <= 100_000; micros++) {
            histogram.record(micros);
        }
        assertThat(histogram.percentileMillis(0.5)).isCloseTo(50.0, within(1.5));
        assertThat(histogram.percentileMillis(0.99)).isCloseTo(99.0, within(3.0));
    }

    @Test
    void emptyIsZeroAndHugeValuesAreClamped() {
        LatencyHistogram histogram = new LatencyHistogram();
        assertThat(histogram.percentileMillis(0.99)).isZero();
        histogram.record(Long.MAX_VALUE);
        assertThat(histogram.percentileMillis(0.5)).isPositive();
    }
}
