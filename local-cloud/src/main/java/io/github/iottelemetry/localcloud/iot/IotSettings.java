package io.github.iottelemetry.localcloud.iot;

import io.github.iottelemetry.localcloud.process.PortAssignment;
import java.util.Objects;

/**
 * Whether and how the local cloud runs IoT Core.
 *
 * @param enabled start the broker and the template's TopicRules after provisioning
 * @param mqttPort the broker's port on 127.0.0.1; 0 picks a free one
 * @param insecurePlainTcp plain MQTT without client certificates instead of mTLS, for debugging only
 * @param starter IoT Core's implementation (module local-iot: {@code LocalIotCore::start}); null when off
 */
public record IotSettings(boolean enabled, int mqttPort, boolean insecurePlainTcp, IotCoreStarter starter) {

    /** The port IoT Core itself uses for MQTT over TLS. */
    public static final int DEFAULT_MQTT_PORT = 8883;

    public static final IotSettings OFF = new IotSettings(false, DEFAULT_MQTT_PORT, false, null);

    public IotSettings {
        if (enabled) {
            Objects.requireNonNull(starter, "IoT Core on needs its starter (module local-iot: LocalIotCore::start)");
        }
    }

    public static IotSettings on(int mqttPort, boolean insecurePlainTcp, IotCoreStarter starter) {
        return new IotSettings(true, mqttPort, insecurePlainTcp, starter);
    }

    public PortAssignment portAssignment() {
        return new PortAssignment(
                "IoT Core MQTT" + (insecurePlainTcp ? " (plain TCP)" : " (TLS)"), mqttPort, "--mqtt-port");
    }
}
