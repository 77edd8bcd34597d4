package io.github.iottelemetry.sim.signal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.iottelemetry.core.payload.Reading;
import org.junit.jupiter.api.Test;

class DeviceSignalTest {

    private static final long T0 = 1_763_884_800_000L;

    @Test
    void theSameSeedGivesTheSameValuesWhateverTheOrderOfCalls() {
        DeviceSignal a = new DeviceSignal(42, "sim-000001", 0);
        DeviceSignal b = new DeviceSignal(42, "sim-000001", 0);
        Reading later = b.reading(T0 + 60_000);
        assertThat(a.reading(T0)).isEqualTo(b.reading(T0));
        assertThat(a.reading(T0 + 60_000)).isEqualTo(later);
        assertThat(new DeviceSignal(43, "sim-000001", 0).reading(T0)).isNotEqualTo(a.reading(T0));
    }

    @Test
    void devicesOfAFleetHaveSeveralModelsWithTheirOwnMetrics() {
        assertThat(new DeviceSignal(1, "sim-000001", 0).reading(T0).metrics())
                .containsOnlyKeys("temperature", "humidity", "battery");
        assertThat(new DeviceSignal(1, "sim-000002", 1).reading(T0).metrics()).containsKeys("voltage", "power_kw");
        assertThat(new DeviceSignal(1, "sim-000003", 2).reading(T0).metrics())
                .containsKeys("rms_velocity", "bearing_temp");
    }

    @Test
    void temperatureFollowsADailyCycleWithinItsRange() {
        DeviceSignal signal = new DeviceSignal(9, "sim-000001", 0);
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        for (long t = T0; t < T0 + 86_400_000L; t += 600_000) {
            double v = signal.reading(t).value("temperature");
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertThat(max - min).as("daily swing").isBetween(4.0, 30.0);
        assertThat(min).isGreaterThan(5.0);
        assertThat(max).isLessThan(45.0);
    }
}
