package io.github.iottelemetry.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IngestConfigTest {

    private static Map<String, String> env(String... pairs) {
        Map<String, String> env = new HashMap<>(Map.of("DEVICE_STATE_TABLE", "t", "LAKE_BUCKET", "b"));
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    @Test
    void theDeviceStateIntervalComesFromTheEnvironmentAndDefaultsToEveryMessage() {
        assertThat(IngestConfig.fromEnvironment(env()).deviceStateIntervalSeconds())
                .isZero();
        assertThat(IngestConfig.fromEnvironment(env("DEVICE_STATE_INTERVAL_SECONDS", " 60 "))
                        .deviceStateIntervalSeconds())
                .isEqualTo(60);
    }

    @Test
    void aBadDeviceStateIntervalFailsTheColdStartWithItsName() {
        assertThatThrownBy(() -> IngestConfig.fromEnvironment(env("DEVICE_STATE_INTERVAL_SECONDS", "1m")))
                .hasMessageContaining("DEVICE_STATE_INTERVAL_SECONDS=\"1m\" is not a whole number of seconds");
        assertThatThrownBy(() -> IngestConfig.fromEnvironment(env("DEVICE_STATE_INTERVAL_SECONDS", "-5")))
                .hasMessageContaining("DEVICE_STATE_INTERVAL_SECONDS=-5 must be 0 to 86400");
    }
}
