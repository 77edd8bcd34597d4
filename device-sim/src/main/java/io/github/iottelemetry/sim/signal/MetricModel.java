package io.github.iottelemetry.sim.signal;

/**
 * How one metric of a device model behaves: a level, a daily sine (peak at {@code dailyPeakHour} local to the
 * device's phase), a slow drift (a 30-day wave, so a long run never drifts out of range), Gaussian noise and
 * rare spikes. Values are rounded to {@code decimals}, as a real sensor reports them.
 */
public record MetricModel(
        String name,
        double level,
        double dailyAmplitude,
        double driftAmplitude,
        double noiseSigma,
        double spikeProbability,
        double spikeMagnitude,
        int decimals,
        double min,
        double max) {}
