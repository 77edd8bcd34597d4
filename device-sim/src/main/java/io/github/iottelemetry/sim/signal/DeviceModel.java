package io.github.iottelemetry.sim.signal;

import java.util.List;

/** The kinds of device in a fleet, each with its own metric set; device i of a fleet is model {@code i mod 3}. */
public enum DeviceModel {
    ENVIRONMENT_SENSOR(List.of(
            new MetricModel("temperature", 21.0, 3.5, 1.0, 0.15, 0.002, 9.0, 2, -40, 85),
            new MetricModel("humidity", 45.0, 8.0, 4.0, 0.6, 0.001, 25.0, 1, 0, 100),
            new MetricModel("battery", 3.7, 0.02, 0.08, 0.005, 0.0005, -0.4, 3, 2.8, 4.2))),
    POWER_METER(List.of(
            new MetricModel("voltage", 230.0, 3.0, 2.0, 0.8, 0.003, -25.0, 1, 180, 260),
            new MetricModel("current", 8.0, 4.0, 1.0, 0.3, 0.002, 12.0, 2, 0, 63),
            new MetricModel("power_kw", 1.8, 0.9, 0.2, 0.05, 0.002, 2.5, 3, 0, 15),
            new MetricModel("frequency", 50.0, 0.02, 0.01, 0.01, 0.0005, -0.3, 3, 49, 51))),
    VIBRATION_MONITOR(List.of(
            new MetricModel("rms_velocity", 2.5, 0.6, 0.8, 0.2, 0.004, 6.0, 2, 0, 50),
            new MetricModel("peak_accel", 0.8, 0.2, 0.3, 0.08, 0.004, 3.0, 3, 0, 20),
            new MetricModel("bearing_temp", 55.0, 5.0, 3.0, 0.4, 0.001, 15.0, 1, -20, 150)));

    private final List<MetricModel> metrics;

    DeviceModel(List<MetricModel> metrics) {
        this.metrics = metrics;
    }

    public List<MetricModel> metrics() {
        return metrics;
    }

    public static DeviceModel forDevice(int deviceIndex) {
        return values()[Math.floorMod(deviceIndex, values().length)];
    }
}
