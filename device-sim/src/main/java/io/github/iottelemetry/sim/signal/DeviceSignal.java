package io.github.iottelemetry.sim.signal;

import io.github.iottelemetry.core.payload.Reading;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The readings of one device: every value is a pure function of (seed, thing, metric, timestamp), so the same
 * seed gives the same values whatever the scheduling, restarts or faults in between.
 */
public final class DeviceSignal {

    private static final double DAY_MILLIS = 86_400_000.0;
    private static final double DRIFT_PERIOD_MILLIS = 30 * DAY_MILLIS;

    private final DeviceModel model;
    private final long deviceSeed;
    private final double[] levelFactor;
    private final double[] dailyPhase;
    private final double[] driftPhase;

    public DeviceSignal(long seed, String thing, int deviceIndex) {
        this.model = DeviceModel.forDevice(deviceIndex);
        this.deviceSeed = mix(seed ^ mix(thing.hashCode()));
        SplittableRandom random = new SplittableRandom(deviceSeed);
        int n = model.metrics().size();
        levelFactor = new double[n];
        dailyPhase = new double[n];
        driftPhase = new double[n];
        // Devices of one model differ a little in level and phase, like units installed in different places.
        double sharedPhase = random.nextDouble(0, 2 * Math.PI);
        for (int i = 0; i < n; i++) {
            levelFactor[i] = 1 + random.nextDouble(-0.08, 0.08);
            dailyPhase[i] = sharedPhase + random.nextDouble(-0.3, 0.3);
            driftPhase[i] = random.nextDouble(0, 2 * Math.PI);
        }
    }

    public DeviceModel model() {
        return model;
    }

    public Reading reading(long ts) {
        List<MetricModel> metrics = model.metrics();
        Map<String, Double> values = new LinkedHashMap<>(metrics.size() * 2);
        for (int i = 0; i < metrics.size(); i++) {
            values.put(metrics.get(i).name(), value(i, ts));
        }
        return Reading.of(ts, values);
    }

    double value(int metricIndex, long ts) {
        MetricModel m = model.metrics().get(metricIndex);
        SplittableRandom random =
                new SplittableRandom(mix(deviceSeed + 0x9E3779B97F4A7C15L * (metricIndex + 1) ^ mix(ts)));
        double v = m.level() * levelFactor[metricIndex]
                + m.dailyAmplitude()
                        * Math.sin(2 * Math.PI * (ts % (long) DAY_MILLIS) / DAY_MILLIS + dailyPhase[metricIndex])
                + m.driftAmplitude() * Math.sin(2 * Math.PI * ts / DRIFT_PERIOD_MILLIS + driftPhase[metricIndex])
                + m.noiseSigma() * random.nextGaussian();
        if (random.nextDouble() < m.spikeProbability()) {
            v += m.spikeMagnitude() * (0.5 + random.nextDouble());
        }
        v = Math.max(m.min(), Math.min(m.max(), v));
        double scale = Math.pow(10, m.decimals());
        return Math.round(v * scale) / scale;
    }

    /** Stafford's variant 13 of the SplitMix64 finalizer: neighbouring inputs give unrelated outputs. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
