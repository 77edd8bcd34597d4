package io.github.iottelemetry.sim.fleet;

import io.github.iottelemetry.sim.faults.MessageFactory;
import io.github.iottelemetry.sim.ledger.AsyncLedger;
import io.github.iottelemetry.sim.provision.FleetDevice;
import io.github.iottelemetry.sim.provision.FleetManifest;
import io.github.iottelemetry.sim.signal.DeviceSignal;
import io.github.iottelemetry.sim.throttle.RateLimiter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.crt.CrtRuntimeException;
import software.amazon.awssdk.crt.io.ExponentialBackoffRetryOptions;
import software.amazon.awssdk.crt.mqtt5.Mqtt5Client;
import software.amazon.awssdk.crt.mqtt5.Mqtt5ClientOptions;
import software.amazon.awssdk.iot.AwsIotMqtt5ClientBuilder;

/**
 * Runs a fleet: connects every device through a gate (a bound on TLS connects in flight and a connect rate),
 * generates each device's messages on a shared scheduler, and at the end drains outstanding PUBACKs, stops the
 * clients and leaves every generated message in the ledger.
 *
 * <p>Life: {@link #start()}, then {@link #awaitEnd()} (until the duration or message count is reached, the fleet
 * cannot connect at all, or {@link #requestStop()}), then {@link #finish(java.time.Duration)}.
 */
public final class FleetRunner {

    /** Reconnect backoff of the SDK client: full jitter between 0 and an exponentially growing delay. */
    private static final long MIN_RECONNECT_DELAY_MS = 500;

    private static final long MAX_RECONNECT_DELAY_MS = 30_000;
    private static final long CONNACK_TIMEOUT_MS = 20_000;
    private static final long KEEP_ALIVE_SECONDS = 60;

    private final FleetSettings settings;
    private final Path fleetFolder;
    private final FleetManifest manifest;
    private final AsyncLedger ledger;
    private final FleetStats stats = new FleetStats();
    private final FailureTally failures = new FailureTally();
    private final List<SimulatedDevice> devices = new ArrayList<>();
    private final List<ScheduledFuture<?>> generators = new ArrayList<>();
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final AtomicInteger generating = new AtomicInteger();
    private final Semaphore connectGate;
    private ScheduledExecutorService scheduler;
    private Thread connector;
    private SeqStore seqs;
    private long startNanos;
    private volatile long connectedAllNanos;
    private volatile boolean stopping;

    public FleetRunner(FleetSettings settings, Path fleetFolder, FleetManifest manifest, AsyncLedger ledger) {
        this.settings = settings;
        this.fleetFolder = fleetFolder;
        this.manifest = manifest;
        this.ledger = ledger;
        this.connectGate = new Semaphore(settings.connectsInFlight());
    }

    public FleetStats stats() {
        return stats;
    }

    public FailureTally failures() {
        return failures;
    }

    /** Devices that have credentials and take part in the run. */
    public int activeDevices() {
        return devices.size();
    }

    public int fleetSize() {
        return manifest.devices().size();
    }

    /** Seconds from start until every active device had its first connect outcome; negative while connecting. */
    public double connectSeconds() {
        long at = connectedAllNanos;
        return at == 0 ? -1 : (at - startNanos) / 1e9;
    }

    /** Seconds since start until now, or until every active device had its first connect outcome. */
    public double connectSecondsSoFar() {
        long at = connectedAllNanos;
        return ((at == 0 ? System.nanoTime() : at) - startNanos) / 1e9;
    }

    public void start() {
        startNanos = System.nanoTime();
        List<FleetDevice> all = manifest.devices();
        List<String> things = all.stream().map(FleetDevice::thing).toList();
        seqs = SeqStore.open(fleetFolder, things);
        for (int i = 0; i < all.size(); i++) {
            FleetDevice device = all.get(i);
            Path certificate = FleetManifest.resolve(
                    fleetFolder, device.certificateFile() == null ? "" : device.certificateFile());
            Path key =
                    FleetManifest.resolve(fleetFolder, device.privateKeyFile() == null ? "" : device.privateKeyFile());
            String missing = !Files.isReadable(certificate) || Files.isDirectory(certificate)
                    ? certificate.toString()
                    : !Files.isReadable(key) || Files.isDirectory(key) ? key.toString() : null;
            if (missing != null) {
                failures.record(
                        "certificate or private key missing or unreadable (device skipped; provision again to reissue)",
                        device.thing(),
                        missing);
                continue;
            }
            String other = things.get((i + 1) % things.size()).equals(device.thing())
                    ? device.thing() + "-spoofed"
                    : things.get((i + 1) % things.size());
            MessageFactory factory = new MessageFactory(
                    device.thing(),
                    other,
                    new DeviceSignal(settings.seed(), device.thing(), i),
                    settings.faults(),
                    settings.limits(),
                    settings.batch(),
                    settings.readingIntervalMillis(),
                    settings.seed());
            devices.add(new SimulatedDevice(
                    i, device.thing(), factory, settings, stats, failures, ledger, seqs, connectGate));
        }
        if (devices.isEmpty()) {
            connectedAllNanos = System.nanoTime();
            return;
        }
        connector = new Thread(this::connectAll, "fleet-connector");
        connector.setDaemon(true);
        connector.start();

        scheduler = Executors.newScheduledThreadPool(
                Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())), r -> {
                    Thread thread = new Thread(r, "fleet-generator");
                    thread.setDaemon(true);
                    return thread;
                });
        long interval = settings.messageIntervalMillis();
        SplittableRandom offsets = new SplittableRandom(settings.seed());
        for (SimulatedDevice device : devices) {
            generating.incrementAndGet();
            // A random phase per device: messages spread evenly over the interval instead of arriving in bursts.
            long initialDelay = offsets.nextLong(interval);
            Runnable tick = () -> {
                try {
                    if (!device.generate(System.currentTimeMillis())) {
                        generating.decrementAndGet();
                        throw new GenerationFinished();
                    }
                } catch (GenerationFinished finished) {
                    throw finished;
                } catch (RuntimeException e) {
                    failures.record("generating a message failed: " + e, device.thing(), null);
                    generating.decrementAndGet();
                    throw e;
                }
            };
            generators.add(scheduler.scheduleAtFixedRate(tick, initialDelay, interval, TimeUnit.MILLISECONDS));
        }
    }

    /** Thrown by a device's generator task to end its schedule once it has sent all its messages. */
    private static final class GenerationFinished extends RuntimeException {
        GenerationFinished() {
            super(null, null, false, false);
        }
    }

    /**
     * Starts every device's client, at most {@code connectsPerSecond} and {@code connectsInFlight} at a time, one after
     * the other. (With clients built on two threads, a device connecting to a refusing 127.0.0.1 at the same moment
     * as another sometimes got AWS_IO_DNS_QUERY_FAILED from the SDK instead of the refusal: a wrong cause for the user.)
     */
    private void connectAll() {
        RateLimiter rate = new RateLimiter(settings.connectsPerSecond());
        Map<String, FleetDevice> entries = new HashMap<>();
        for (FleetDevice d : manifest.devices()) {
            entries.put(d.thing(), d);
        }
        for (SimulatedDevice device : devices) {
            if (stopping) {
                return;
            }
            try {
                rate.acquire();
                connectGate.acquire();
            } catch (InterruptedException e) {
                return;
            }
            try {
                device.start(buildClient(entries.get(device.thing()), device));
            } catch (CrtRuntimeException | IllegalArgumentException e) {
                device.clientNotBuilt();
                failures.record(
                        "certificate or private key not usable by the SDK (" + e.getMessage() + ")",
                        device.thing(),
                        null);
            }
        }
    }

    private Mqtt5Client buildClient(FleetDevice entry, SimulatedDevice device) {
        // One TLS context per device (it carries the device's certificate), with the CA passed explicitly.
        try (AwsIotMqtt5ClientBuilder builder = AwsIotMqtt5ClientBuilder.newDirectMqttBuilderWithMtlsFromPath(
                settings.endpointHost(),
                FleetManifest.resolve(fleetFolder, entry.certificateFile()).toString(),
                FleetManifest.resolve(fleetFolder, entry.privateKeyFile()).toString())) {
            builder.withPort((long) settings.endpointPort())
                    .withClientId(entry.thing())
                    .withSessionBehavior(Mqtt5ClientOptions.ClientSessionBehavior.REJOIN_ALWAYS)
                    .withSessionExpiryIntervalSeconds(settings.sessionExpirySeconds())
                    .withOfflineQueueBehavior(
                            Mqtt5ClientOptions.ClientOfflineQueueBehavior.FAIL_QOS0_PUBLISH_ON_DISCONNECT)
                    .withRetryJitterMode(ExponentialBackoffRetryOptions.JitterMode.Full)
                    .withMinReconnectDelayMs(MIN_RECONNECT_DELAY_MS)
                    .withMaxReconnectDelayMs(MAX_RECONNECT_DELAY_MS)
                    .withConnackTimeoutMs(CONNACK_TIMEOUT_MS)
                    .withKeepAliveIntervalSeconds(KEEP_ALIVE_SECONDS)
                    .withLifeCycleEvents(device);
            if (settings.caFile() != null) {
                builder.withCertificateAuthorityFromPath(null, settings.caFile());
            }
            return builder.build();
        }
    }

    public void requestStop() {
        stopRequested.countDown();
    }

    public boolean stopRequested() {
        return stopRequested.getCount() == 0;
    }

    /**
     * Blocks until the run should end: the duration passed, every device generated its messages and got its answers
     * (devices that never connected aside), no device could connect at all, or a stop was requested.
     *
     * @return false when the run ended because no device could connect
     */
    public boolean awaitEnd() throws InterruptedException {
        long deadline = settings.messagesPerDevice() > 0
                ? Long.MAX_VALUE
                : startNanos + settings.duration().toNanos();
        while (true) {
            if (connectedAllNanos == 0 && stats.connectOutcomes.get() >= devices.size()) {
                connectedAllNanos = System.nanoTime();
            }
            if (connectedAllNanos != 0 && stats.everConnected.get() == 0) {
                return false;
            }
            if (System.nanoTime() >= deadline) {
                return true;
            }
            if (settings.messagesPerDevice() > 0
                    && generating.get() == 0
                    && stats.inFlight.get() == 0
                    && stats.buffered.get() == bufferedOnDevicesNeverConnected()) {
                // Everything generated and answered, except what waits on devices that have never connected (a refused
                // certificate, say): those get the drain timeout in finish(), not an endless wait.
                return true;
            }
            if (stopRequested.await(50, TimeUnit.MILLISECONDS)) {
                return true;
            }
        }
    }

    private int bufferedOnDevicesNeverConnected() {
        if (connectedAllNanos == 0) {
            return -1; // still connecting: a device without an outcome yet may connect in a moment
        }
        int n = 0;
        for (SimulatedDevice device : devices) {
            n += device.bufferedNeverConnected();
        }
        return n;
    }

    /**
     * Ends the run: no new messages, up to {@code drainTimeout} for outstanding PUBACKs, then the clients stop and
     * whatever is still unanswered is recorded as unacknowledged; the exact next seq of every device is saved.
     */
    public void finish(java.time.Duration drainTimeout) throws InterruptedException {
        stopping = true;
        if (connector != null) {
            connector.interrupt();
            connector.join(5_000);
        }
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        }
        long drainDeadline = System.nanoTime() + drainTimeout.toNanos();
        while (System.nanoTime() < drainDeadline && !devices.stream().allMatch(SimulatedDevice::idle)) {
            Thread.sleep(20);
        }
        for (SimulatedDevice device : devices) {
            device.beginStop();
        }
        long stopDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (SimulatedDevice device : devices) {
            device.stoppedLatch().await(Math.max(0, stopDeadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        for (SimulatedDevice device : devices) {
            device.abandonOutstanding();
        }
        for (SimulatedDevice device : devices) {
            device.close();
        }
        if (seqs != null) {
            seqs.saveExact();
        }
    }
}
