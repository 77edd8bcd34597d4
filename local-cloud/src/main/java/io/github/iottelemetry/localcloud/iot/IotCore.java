package io.github.iottelemetry.localcloud.iot;

import java.nio.file.Path;
import java.util.Map;

/** IoT Core as the local cloud runs it beside its engines: what clients need to reach it, and how to stop it. */
public interface IotCore extends AutoCloseable {

    /** {@code IOT_ENDPOINT} (127.0.0.1:port), {@code IOT_CA_FILE}, and {@code IOT_INSECURE_PLAIN_TCP} without TLS. */
    Map<String, String> environment();

    /** host:port of the MQTT listener. */
    String endpoint();

    int port();

    /** Whether the listener is MQTT over TLS with client certificates (IoT Core's way) or plain TCP. */
    boolean tls();

    /** The CA certificate devices trust and the broker signs with. */
    Path caCertificateFile();

    /**
     * Its own counters for the console (connections, publishes accepted and refused, rule matches, action outcomes,
     * records put per shard); nested maps of numbers.
     */
    default Map<String, ?> liveMetrics() {
        return Map.of();
    }

    /** Stops the broker, then flushes what the rules' actions still hold: before the engines stop. */
    @Override
    void close();
}
