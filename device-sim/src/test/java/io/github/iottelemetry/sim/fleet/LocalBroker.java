package io.github.iottelemetry.sim.fleet;

import io.github.iottelemetry.localiot.LocalIotCore;
import io.github.iottelemetry.localiot.LocalIotOptions;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/**
 * The local IoT Core broker (HiveMQ, mTLS, the project's device policy) for the fleet tests, without topic
 * rules: nothing behind it has to run. Restartable on the same port and CA, like a broker that crashed.
 */
public final class LocalBroker implements AutoCloseable {

    static final Path TEMPLATE =
            Path.of("src/test/resources/device-sim-test-template.yaml").toAbsolutePath();
    // The template has no rules, so these endpoints are never called.
    private static final URI UNUSED = URI.create("http://127.0.0.1:9");

    private final Path state;
    private LocalIotCore iot;

    public LocalBroker(Path state) {
        this.state = state;
        this.iot = LocalIotCore.start(options());
    }

    private LocalIotOptions options() {
        return LocalIotOptions.of(
                state, TEMPLATE, "sim-test", Map.of(), UNUSED, UNUSED, "us-east-1", "local", "local-secret");
    }

    public LocalIotCore iot() {
        return iot;
    }

    public String endpoint() {
        return iot.endpoint();
    }

    public Path caFolder() {
        return options().caDirectory();
    }

    public void restart() {
        int port = iot.port();
        iot.close();
        iot = LocalIotCore.start(options().withMqttPort(port));
    }

    @Override
    public void close() {
        iot.close();
    }
}
