package io.github.iottelemetry.localiot.broker;

import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import io.github.iottelemetry.localca.LocalCertificateAuthority;
import io.github.iottelemetry.localiot.LocalIotCounters;
import io.github.iottelemetry.localiot.policy.DeviceAuthorization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * HiveMQ CE in this JVM, on 127.0.0.1 only: a TLS listener that requires a client certificate from the local
 * CA (the trust store holds that CA alone, so a certificate from any other CA fails the handshake), or, only
 * when asked for explicitly, a plain TCP listener. Sessions are kept in memory; the broker's folders (config,
 * data, extensions) live under the given state folder.
 */
public final class LocalMqttBroker implements AutoCloseable {

    private static final long START_TIMEOUT_SECONDS = 60;

    private final EmbeddedHiveMQ hiveMq;
    private final int port;
    private final boolean tls;

    private LocalMqttBroker(EmbeddedHiveMQ hiveMq, int port, boolean tls) {
        this.hiveMq = hiveMq;
        this.port = port;
        this.tls = tls;
    }

    /**
     * @param insecurePlainTcp plain TCP without client certificates; never the default
     * @param rules receives every publish the policy allows, on the broker's thread, in each client's order
     */
    public static LocalMqttBroker start(
            Path brokerFolder,
            int port,
            boolean insecurePlainTcp,
            LocalCertificateAuthority ca,
            DeviceAuthorization authorization,
            Consumer<InboundMessage> rules,
            LocalIotCounters counters) {
        Path folder = brokerFolder.toAbsolutePath().normalize();
        Path conf = folder.resolve("conf");
        try {
            Files.createDirectories(conf);
            Files.createDirectories(folder.resolve("data"));
            Files.createDirectories(folder.resolve("extensions"));
            String listener;
            if (insecurePlainTcp) {
                listener = "    <tcp-listener>\n      <port>" + port
                        + "</port>\n      <bind-address>127.0.0.1</bind-address>\n" + "    </tcp-listener>\n";
            } else {
                // A fresh random password per start: the stores are rewritten at every start and read only by this JVM.
                char[] password = HexFormat.of()
                        .formatHex(new SecureRandom().generateSeed(16))
                        .toCharArray();
                Path keyStore = ca.writeServerKeyStore(conf.resolve("broker-keystore.jks"), password);
                Path trustStore = ca.writeTrustStore(conf.resolve("broker-truststore.jks"), password);
                String secret = new String(password);
                listener = "    <tls-tcp-listener>\n      <port>" + port
                        + "</port>\n      <bind-address>127.0.0.1</bind-address>\n"
                        + "      <tls>\n"
                        + "        <keystore><path>" + keyStore + "</path><password>" + secret + "</password>"
                        + "<private-key-password>" + secret + "</private-key-password></keystore>\n"
                        + "        <truststore><path>" + trustStore + "</path><password>" + secret
                        + "</password></truststore>\n"
                        + "        <client-authentication-mode>REQUIRED</client-authentication-mode>\n"
                        + "      </tls>\n    </tls-tcp-listener>\n";
            }
            String config = "<?xml version=\"1.0\"?>\n<hivemq>\n  <listeners>\n" + listener + "  </listeners>\n"
                    + "  <persistence><mode>in-memory</mode></persistence>\n"
                    + "  <anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics>\n"
                    + "</hivemq>\n";
            Files.writeString(conf.resolve("config.xml"), config, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the MQTT broker folder " + folder, e);
        }

        SecurityLog log = new SecurityLog();
        DeviceAuthenticator authenticator =
                new DeviceAuthenticator(ca, authorization, !insecurePlainTcp, counters, log);
        PolicyEnforcement enforcement = new PolicyEnforcement(authorization, rules, counters, log);
        EmbeddedExtension extension = EmbeddedExtension.builder()
                .withId("local-iot-core")
                .withName("local IoT Core identity, policy and rules")
                .withVersion("1")
                .withPriority(1000)
                .withStartPriority(1000)
                .withExtensionMain(new ExtensionMain() {
                    @Override
                    public void extensionStart(ExtensionStartInput input, ExtensionStartOutput output) {
                        Services.securityRegistry().setAuthenticatorProvider(providerInput -> authenticator);
                        Services.securityRegistry().setAuthorizerProvider(providerInput -> enforcement);
                        Services.eventRegistry()
                                .setClientLifecycleEventListener(providerInput -> new Connections(counters));
                        Services.initializerRegistry().setClientInitializer((initializerInput, client) -> {
                            client.addPublishInboundInterceptor(enforcement);
                            client.addPublishOutboundInterceptor(enforcement);
                        });
                    }

                    @Override
                    public void extensionStop(ExtensionStopInput input, ExtensionStopOutput output) {
                        // Nothing to release: the providers die with the broker.
                    }
                })
                .build();
        EmbeddedHiveMQ hiveMq = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(conf)
                .withDataFolder(folder.resolve("data"))
                .withExtensionsFolder(folder.resolve("extensions"))
                .withEmbeddedExtension(extension)
                .withoutLoggingBootstrap()
                .build();
        try {
            hiveMq.start().get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            closeQuietly(hiveMq);
            throw new IllegalStateException(
                    "MQTT broker (HiveMQ CE) did not start on 127.0.0.1:" + port + " with folder " + folder + ": "
                            + (e.getCause() == null ? e : e.getCause()),
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietly(hiveMq);
            throw new IllegalStateException("interrupted while starting the MQTT broker", e);
        }
        return new LocalMqttBroker(hiveMq, port, !insecurePlainTcp);
    }

    public int port() {
        return port;
    }

    public boolean tls() {
        return tls;
    }

    @Override
    public void close() {
        closeQuietly(hiveMq);
    }

    private static void closeQuietly(EmbeddedHiveMQ hiveMq) {
        try {
            hiveMq.stop().get(30, TimeUnit.SECONDS);
            hiveMq.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            System.getLogger(LocalMqttBroker.class.getName())
                    .log(System.Logger.Level.WARNING, "MQTT broker did not stop cleanly: " + e);
        }
    }

    /** Keeps {@link LocalIotCounters#connectedClients()} current. */
    private record Connections(LocalIotCounters counters)
            implements com.hivemq.extension.sdk.api.events.client.ClientLifecycleEventListener {
        @Override
        public void onMqttConnectionStart(
                com.hivemq.extension.sdk.api.events.client.parameters.ConnectionStartInput input) {}

        @Override
        public void onAuthenticationSuccessful(
                com.hivemq.extension.sdk.api.events.client.parameters.AuthenticationSuccessfulInput input) {
            counters.connected(input.getClientInformation().getClientId());
        }

        @Override
        public void onAuthenticationFailedDisconnect(
                com.hivemq.extension.sdk.api.events.client.parameters.AuthenticationFailedInput input) {
            // Never counted as connected.
        }

        @Override
        public void onDisconnect(com.hivemq.extension.sdk.api.events.client.parameters.DisconnectEventInput input) {
            counters.disconnected(input.getClientInformation().getClientId());
        }
    }
}
