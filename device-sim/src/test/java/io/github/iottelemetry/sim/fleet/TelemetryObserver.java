package io.github.iottelemetry.sim.fleet;

import io.github.iottelemetry.localca.DeviceCredentials;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.crt.mqtt5.Mqtt5Client;
import software.amazon.awssdk.crt.mqtt5.Mqtt5ClientOptions;
import software.amazon.awssdk.crt.mqtt5.OnAttemptingConnectReturn;
import software.amazon.awssdk.crt.mqtt5.OnConnectionFailureReturn;
import software.amazon.awssdk.crt.mqtt5.OnConnectionSuccessReturn;
import software.amazon.awssdk.crt.mqtt5.OnDisconnectionReturn;
import software.amazon.awssdk.crt.mqtt5.OnStoppedReturn;
import software.amazon.awssdk.crt.mqtt5.QOS;
import software.amazon.awssdk.crt.mqtt5.packets.SubscribePacket;
import software.amazon.awssdk.iot.AwsIotMqtt5ClientBuilder;

/** A subscriber to every device's telemetry topic: what the broker delivered, by (thing from the topic, seq). */
final class TelemetryObserver implements AutoCloseable {

    private static final Pattern SEQ = Pattern.compile("\"seq\":\"?(\\d+)");

    /** One delivered message. */
    record Delivery(String thing, long seq, byte[] payload, long receivedAt) {}

    private final Mqtt5Client client;
    private final Map<String, List<Delivery>> byKey = new ConcurrentHashMap<>();

    TelemetryObserver(String host, int port, String caFile, DeviceCredentials credentials) throws Exception {
        CompletableFuture<Boolean> subscribed = new CompletableFuture<>();
        try (AwsIotMqtt5ClientBuilder builder = AwsIotMqtt5ClientBuilder.newDirectMqttBuilderWithMtlsFromPath(
                host,
                credentials.certificateFile().toString(),
                credentials.privateKeyFile().toString())) {
            builder.withPort((long) port)
                    .withCertificateAuthorityFromPath(null, caFile)
                    .withClientId(credentials.thingName())
                    .withPublishEvents((c, received) -> {
                        String topic = received.getPublishPacket().getTopic();
                        byte[] payload = received.getPublishPacket().getPayload();
                        Matcher m = SEQ.matcher(
                                new String(payload, 0, Math.min(payload.length, 400), StandardCharsets.UTF_8));
                        long seq = m.find() ? Long.parseLong(m.group(1)) : -1;
                        String thing = topic.substring(topic.lastIndexOf('/') + 1);
                        byKey.computeIfAbsent(
                                        thing + "/" + seq,
                                        k -> java.util.Collections.synchronizedList(new ArrayList<>()))
                                .add(new Delivery(thing, seq, payload, System.currentTimeMillis()));
                    })
                    .withLifeCycleEvents(new Mqtt5ClientOptions.LifecycleEvents() {
                        @Override
                        public void onAttemptingConnect(Mqtt5Client c, OnAttemptingConnectReturn r) {}

                        @Override
                        public void onConnectionSuccess(Mqtt5Client c, OnConnectionSuccessReturn r) {
                            c.subscribe(new SubscribePacket.SubscribePacketBuilder()
                                            .withSubscription("dt/telemetry/+", QOS.AT_LEAST_ONCE)
                                            .build())
                                    .whenComplete((ack, e) -> subscribed.complete(e == null));
                        }

                        @Override
                        public void onConnectionFailure(Mqtt5Client c, OnConnectionFailureReturn r) {}

                        @Override
                        public void onDisconnection(Mqtt5Client c, OnDisconnectionReturn r) {}

                        @Override
                        public void onStopped(Mqtt5Client c, OnStoppedReturn r) {}
                    });
            client = builder.build();
        }
        client.start();
        if (!subscribed.get(20, TimeUnit.SECONDS)) {
            throw new IllegalStateException("observer could not subscribe to dt/telemetry/+");
        }
    }

    Map<String, List<Delivery>> deliveries() {
        return byKey;
    }

    int deliveryCount() {
        return byKey.values().stream().mapToInt(List::size).sum();
    }

    @Override
    public void close() {
        client.stop();
        client.close();
    }
}
