package io.github.iottelemetry.cost.fleet;

import io.github.iottelemetry.cost.CostInputException;

/**
 * What the fleet sends: {@code devices} devices, each taking a reading of {@code metricsPerReading} metrics every
 * {@code readingIntervalSeconds} and publishing {@code readingsPerMessage} readings per MQTT message (device-side
 * batching). A device therefore publishes one message every {@code readingIntervalSeconds * readingsPerMessage}.
 */
public record FleetWorkload(
        long devices, double readingIntervalSeconds, int readingsPerMessage, int metricsPerReading) {

    /** The contract's bound on readings per message (DESIGN.md, telemetry.v1). */
    public static final int MAX_READINGS_PER_MESSAGE = 500;

    public FleetWorkload {
        if (devices <= 0) {
            throw new CostInputException("--devices " + devices + ": the fleet needs at least one device");
        }
        if (!(readingIntervalSeconds > 0)) {
            throw new CostInputException("--interval: must be longer than zero, got " + readingIntervalSeconds + " s");
        }
        if (readingsPerMessage < 1 || readingsPerMessage > MAX_READINGS_PER_MESSAGE) {
            throw new CostInputException("--batch " + readingsPerMessage + ": telemetry.v1 carries 1 to "
                    + MAX_READINGS_PER_MESSAGE + " readings per message");
        }
        if (metricsPerReading < 1 || metricsPerReading > MessageSizer.METRIC_NAMES.size()) {
            throw new CostInputException("--metrics " + metricsPerReading + ": the model sizes 1 to "
                    + MessageSizer.METRIC_NAMES.size() + " metrics per reading");
        }
    }

    public double messageIntervalSeconds() {
        return readingIntervalSeconds * readingsPerMessage;
    }

    public double messagesPerSecond() {
        return devices / messageIntervalSeconds();
    }

    public double readingsPerSecond() {
        return devices / readingIntervalSeconds;
    }

    /** Messages one device publishes per second (what the per-connection limit counts). */
    public double messagesPerSecondPerDevice() {
        return 1 / messageIntervalSeconds();
    }

    /** The same fleet sending one reading per message. */
    public FleetWorkload unbatched() {
        return new FleetWorkload(devices, readingIntervalSeconds, 1, metricsPerReading);
    }
}
