package io.github.iottelemetry.sim.fleet;

import io.github.iottelemetry.sim.faults.MessageFactory;
import io.github.iottelemetry.sim.faults.OutgoingMessage;
import io.github.iottelemetry.sim.ledger.AsyncLedger;
import java.util.ArrayDeque;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import software.amazon.awssdk.crt.CRT;
import software.amazon.awssdk.crt.mqtt5.Mqtt5Client;
import software.amazon.awssdk.crt.mqtt5.Mqtt5ClientOptions;
import software.amazon.awssdk.crt.mqtt5.OnAttemptingConnectReturn;
import software.amazon.awssdk.crt.mqtt5.OnConnectionFailureReturn;
import software.amazon.awssdk.crt.mqtt5.OnConnectionSuccessReturn;
import software.amazon.awssdk.crt.mqtt5.OnDisconnectionReturn;
import software.amazon.awssdk.crt.mqtt5.OnStoppedReturn;
import software.amazon.awssdk.crt.mqtt5.PublishResult;
import software.amazon.awssdk.crt.mqtt5.QOS;
import software.amazon.awssdk.crt.mqtt5.packets.ConnAckPacket;
import software.amazon.awssdk.crt.mqtt5.packets.PubAckPacket;
import software.amazon.awssdk.crt.mqtt5.packets.PublishPacket;

/**
 * One device: its MQTT 5 client, the messages it has published and not yet had answered (at most the publish
 * window), and the offline buffer for the rest. Every message ends in the ledger exactly once: acknowledged on
 * a successful PUBACK, unacknowledged when refused, dropped from a full buffer, or abandoned at shutdown.
 *
 * <p>Lifecycle callbacks and publish completions run on the SDK's event-loop threads; generation runs on the
 * fleet's scheduler. The monitor of this object guards the buffer, the in-flight set and the connection flag.
 */
final class SimulatedDevice implements Mqtt5ClientOptions.LifecycleEvents {

    private final int index;
    private final String thing;
    private final String topic;
    private final MessageFactory factory;
    private final FleetSettings settings;
    private final FleetStats stats;
    private final FailureTally failures;
    private final AsyncLedger ledger;
    private final SeqStore seqs;
    private final Semaphore connectGate;
    private final String endpoint;

    private final ArrayDeque<OutgoingMessage> buffer = new ArrayDeque<>();
    private final Map<OutgoingMessage, Boolean> inFlight = new IdentityHashMap<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private Mqtt5Client client;
    private boolean connected;
    private boolean hadConnection;
    private volatile boolean firstOutcomeSeen;
    private boolean stopping;
    private long generatedCount;

    SimulatedDevice(
            int index,
            String thing,
            MessageFactory factory,
            FleetSettings settings,
            FleetStats stats,
            FailureTally failures,
            AsyncLedger ledger,
            SeqStore seqs,
            Semaphore connectGate) {
        this.index = index;
        this.thing = thing;
        this.topic = settings.topic(thing);
        this.factory = factory;
        this.settings = settings;
        this.stats = stats;
        this.failures = failures;
        this.ledger = ledger;
        this.seqs = seqs;
        this.connectGate = connectGate;
        this.endpoint = settings.endpointHost() + ":" + settings.endpointPort();
    }

    String thing() {
        return thing;
    }

    void start(Mqtt5Client mqttClient) {
        synchronized (this) {
            this.client = mqttClient;
        }
        mqttClient.start();
    }

    /** Generates and offers the next message; returns false once the device has generated all it should. */
    boolean generate(long now) {
        if (!firstOutcomeSeen) {
            // A device starts sampling when its first connection attempt has ended, as a device that boots and
            // connects does: a fleet that takes minutes to connect then neither floods its offline buffers nor
            // the ledger with messages dropped before the device was ever up. After a failed first attempt it
            // samples and buffers offline like any disconnected device.
            return true;
        }
        long limit = settings.messagesPerDevice();
        if (limit > 0 && generatedCount >= limit) {
            return false;
        }
        OutgoingMessage message = factory.next(now, () -> seqs.next(index));
        generatedCount++;
        stats.generated.increment();
        offer(message);
        return limit <= 0 || generatedCount < limit;
    }

    private synchronized void offer(OutgoingMessage message) {
        if (connected && !stopping && inFlight.size() < settings.publishWindow() && buffer.isEmpty()) {
            publish(message);
            return;
        }
        buffer.addLast(message);
        stats.buffered.incrementAndGet();
        if (buffer.size() > settings.offlineBuffer()) {
            OutgoingMessage oldest = buffer.pollFirst();
            stats.buffered.decrementAndGet();
            stats.dropped.increment();
            ledger.record(oldest.ledgerEntry(false));
        }
    }

    /** Called with the monitor held. */
    private void publish(OutgoingMessage message) {
        inFlight.put(message, Boolean.TRUE);
        stats.inFlight.incrementAndGet();
        stats.sent.increment();
        long startNanos = System.nanoTime();
        PublishPacket packet = new PublishPacket.PublishPacketBuilder()
                .withTopic(topic)
                .withQOS(QOS.AT_LEAST_ONCE)
                .withPayload(message.payload())
                .build();
        client.publish(packet).whenComplete((result, error) -> completed(message, startNanos, result, error));
    }

    private void completed(OutgoingMessage message, long startNanos, PublishResult result, Throwable error) {
        long micros = (System.nanoTime() - startNanos) / 1000;
        synchronized (this) {
            if (inFlight.remove(message) == null) {
                return; // abandoned at shutdown and already in the ledger as unacknowledged
            }
            stats.inFlight.decrementAndGet();
        }
        boolean acked = false;
        if (error == null) {
            PubAckPacket ack = result == null ? null : result.getResultPubAck();
            int code = ack == null || ack.getReasonCode() == null
                    ? 0
                    : ack.getReasonCode().getValue();
            if (code < 0x80) {
                acked = true;
            } else {
                stats.refused.increment();
                failures.record(
                        "publish to " + topicPattern() + " refused by the broker with PUBACK 0x"
                                + Integer.toHexString(code) + " " + ack.getReasonCode()
                                + (code == 0x87
                                        ? " (the IoT policy does not allow this topic: check --basic-ingest and the policy)"
                                        : ""),
                        thing,
                        ack.getReasonString());
            }
        } else {
            stats.failed.increment();
            boolean shuttingDown;
            synchronized (this) {
                shuttingDown = stopping;
            }
            if (!shuttingDown) {
                failures.record("publish ended without a PUBACK: " + rootMessage(error), thing, null);
            }
        }
        if (acked) {
            stats.acked.increment();
            stats.latency.record(micros);
            factory.acknowledged(message);
        }
        ledger.record(message.ledgerEntry(acked));
        synchronized (this) {
            drain();
        }
    }

    /** Called with the monitor held: publishes buffered messages, oldest first, while the window allows. */
    private void drain() {
        while (connected && !stopping && inFlight.size() < settings.publishWindow() && !buffer.isEmpty()) {
            stats.buffered.decrementAndGet();
            publish(buffer.pollFirst());
        }
    }

    synchronized boolean idle() {
        return inFlight.isEmpty() && (buffer.isEmpty() || !connected);
    }

    /** Stops publishing and asks the client to disconnect; outstanding publishes then complete or are abandoned. */
    void beginStop() {
        Mqtt5Client toStop;
        synchronized (this) {
            stopping = true;
            toStop = client;
        }
        if (toStop == null) {
            stopped.countDown();
        } else {
            toStop.stop();
        }
    }

    CountDownLatch stoppedLatch() {
        return stopped;
    }

    /** Records what never got an answer as unacknowledged; after this no entry of this device is written again. */
    synchronized void abandonOutstanding() {
        for (OutgoingMessage message : inFlight.keySet()) {
            stats.inFlight.decrementAndGet();
            stats.failed.increment();
            ledger.record(message.ledgerEntry(false));
        }
        inFlight.clear();
        for (OutgoingMessage message : buffer) {
            stats.buffered.decrementAndGet();
            ledger.record(message.ledgerEntry(false));
        }
        buffer.clear();
    }

    void close() {
        Mqtt5Client toClose;
        synchronized (this) {
            toClose = client;
            client = null;
        }
        if (toClose != null) {
            toClose.close();
        }
    }

    @Override
    public void onAttemptingConnect(Mqtt5Client c, OnAttemptingConnectReturn result) {
        // Nothing to do: the gate was taken before start(); reconnects are spaced by the client's jittered backoff.
    }

    @Override
    public void onConnectionSuccess(Mqtt5Client c, OnConnectionSuccessReturn result) {
        synchronized (this) {
            connected = true;
            stats.connected.incrementAndGet();
            firstOutcome();
            if (hadConnection) {
                stats.reconnects.increment();
            } else {
                stats.everConnected.incrementAndGet();
            }
            hadConnection = true;
            drain();
        }
    }

    @Override
    public void onConnectionFailure(Mqtt5Client c, OnConnectionFailureReturn result) {
        boolean reconnecting;
        synchronized (this) {
            firstOutcome();
            if (stopping) {
                return;
            }
            reconnecting = hadConnection;
        }
        stats.connectFailures.increment();
        failures.record((reconnecting ? "reconnect: " : "") + describe(result), thing, null);
    }

    /** Messages waiting in the offline buffer of a device that has never connected (0 once it has). */
    synchronized int bufferedNeverConnected() {
        return hadConnection ? 0 : buffer.size();
    }

    /**
     * The SDK refused this device's certificate or key, so no client exists: that is its first (and only) connect
     * outcome, and it samples and buffers from now on like a device that cannot connect.
     */
    synchronized void clientNotBuilt() {
        firstOutcome();
    }

    private void firstOutcome() {
        if (!firstOutcomeSeen) {
            firstOutcomeSeen = true;
            stats.connectOutcomes.incrementAndGet();
            connectGate.release();
        }
    }

    @Override
    public void onDisconnection(Mqtt5Client c, OnDisconnectionReturn result) {
        synchronized (this) {
            if (connected) {
                connected = false;
                stats.connected.decrementAndGet();
            }
        }
    }

    @Override
    public void onStopped(Mqtt5Client c, OnStoppedReturn result) {
        stopped.countDown();
    }

    /** The cause of a failed connect, worded the same for every device so that equal causes group together. */
    private String describe(OnConnectionFailureReturn result) {
        ConnAckPacket connAck = result.getConnAckPacket();
        if (connAck != null
                && connAck.getReasonCode() != null
                && connAck.getReasonCode().getValue() >= 0x80) {
            return "the broker at " + endpoint + " refused the connection with CONNACK " + connAck.getReasonCode()
                    + " (certificate not accepted or revoked, or the policy does not allow iot:Connect with client id = thing name)";
        }
        String name = CRT.awsErrorName(result.getErrorCode());
        if (name.contains("TLS")) {
            return "TLS handshake with " + endpoint + " failed (" + name
                    + "): the endpoint does not speak TLS, its certificate is not"
                    + " signed by the fleet's CA file, or it rejected the device certificate";
        }
        if (name.contains("CONNECTION_REFUSED")) {
            return "connection to " + endpoint + " refused (" + name + "): is the broker running there?";
        }
        if (name.contains("TIMEOUT") || name.contains("TIMED_OUT")) {
            return "connecting to " + endpoint + " timed out (" + name + ")";
        }
        return "cannot connect to " + endpoint + ": " + name + " (" + CRT.awsErrorString(result.getErrorCode()) + ")";
    }

    private String topicPattern() {
        return settings.topic("<thing>");
    }

    private static String rootMessage(Throwable error) {
        Throwable t = error;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
