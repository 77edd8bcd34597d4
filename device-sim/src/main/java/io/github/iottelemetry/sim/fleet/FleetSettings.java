package io.github.iottelemetry.sim.fleet;

import io.github.iottelemetry.core.validation.ValidationLimits;
import io.github.iottelemetry.sim.faults.FaultRates;
import java.time.Duration;

/**
 * How a fleet runs.
 *
 * @param endpointHost and {@code endpointPort}: the MQTT broker (IoT Core's ATS endpoint, port 8883)
 * @param caFile the CA PEM given to every TLS context (null: the system trust store, about 1 MB per device)
 * @param readingsPerSecond per device; a message carries {@code batch} readings, so a device publishes every
 *     {@code batch / readingsPerSecond} seconds
 * @param duration how long to generate (ignored when {@code messagesPerDevice} is positive)
 * @param messagesPerDevice stop each device after this many messages (0: run for {@code duration})
 * @param basicIngestRule publish to {@code $aws/rules/<rule>/dt/telemetry/<thing>} instead of the topic (null: topic)
 * @param connectsInFlight TLS connects at the same time (the broker's handshakes collapse beyond ~50 here)
 * @param connectsPerSecond new connections per second (IoT Core's account limit is 100/s by default)
 * @param publishWindow unacknowledged publishes per device before messages wait in the offline buffer
 * @param offlineBuffer messages a device keeps while it cannot publish; beyond it the oldest is dropped and counted
 * @param drainTimeout how long to wait for outstanding PUBACKs at the end
 */
public record FleetSettings(
        String endpointHost,
        int endpointPort,
        String caFile,
        double readingsPerSecond,
        int batch,
        Duration duration,
        long messagesPerDevice,
        long seed,
        String basicIngestRule,
        FaultRates faults,
        ValidationLimits limits,
        int connectsInFlight,
        double connectsPerSecond,
        int publishWindow,
        int offlineBuffer,
        Duration drainTimeout,
        long sessionExpirySeconds) {

    public String topic(String thing) {
        String topic = "dt/telemetry/" + thing;
        return basicIngestRule == null ? topic : "$aws/rules/" + basicIngestRule + "/" + topic;
    }

    public long messageIntervalMillis() {
        return Math.max(1, Math.round(batch * 1000.0 / readingsPerSecond));
    }

    public long readingIntervalMillis() {
        return Math.max(1, Math.round(1000.0 / readingsPerSecond));
    }
}
