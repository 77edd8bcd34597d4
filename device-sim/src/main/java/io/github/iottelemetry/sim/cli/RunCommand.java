package io.github.iottelemetry.sim.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.iottelemetry.core.text.DurationText;
import io.github.iottelemetry.core.validation.ValidationLimits;
import io.github.iottelemetry.sim.faults.FaultRates;
import io.github.iottelemetry.sim.fleet.FleetRunner;
import io.github.iottelemetry.sim.fleet.FleetSettings;
import io.github.iottelemetry.sim.fleet.FleetStats;
import io.github.iottelemetry.sim.fleet.RunSummary;
import io.github.iottelemetry.sim.ledger.AsyncLedger;
import io.github.iottelemetry.sim.provision.FleetManifest;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the fleet: one MQTT 5 connection per device (mTLS, QoS 1, persistent session), deterministic signals,"
                    + " faults at the given rates, and a ledger entry per message (acknowledged or not).",
            "Exit codes: 0 done; 2 devices could not connect; 3 the ledger failed; 4 nothing was acknowledged; 1 bad input."
        })
public final class RunCommand implements java.util.concurrent.Callable<Integer> {

    /** About 2 KB each (payload and ledger readings): some 400 MB of heap at most for a fleet that cannot publish. */
    private static final int FLEET_OFFLINE_MESSAGES = 200_000;

    private static final Duration SHUTDOWN_DRAIN = Duration.ofSeconds(3);
    private static final Pattern RATE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(?:/\\s*(s|sec|m|min|h|hour))?");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--fleet",
            defaultValue = "fleet",
            description = "Fleet folder written by provision (default ${DEFAULT-VALUE}).")
    Path fleet;

    @Option(
            names = "--rate",
            defaultValue = "1/s",
            description = "Readings per device: N/s, N/m or N/h (default ${DEFAULT-VALUE}).")
    String rate;

    @Option(
            names = "--batch",
            defaultValue = "10",
            description = "Readings per message, 1 to 500 (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(
            names = "--duration",
            defaultValue = "10m",
            description = "How long to publish: 90s, 10m, 2h (default ${DEFAULT-VALUE}).")
    String duration;

    @Option(
            names = "--messages",
            defaultValue = "0",
            description = "Messages per device, then stop (instead of --duration).")
    long messages;

    @Option(names = "--endpoint", description = "Broker host:port (default: the manifest's endpoint).")
    String endpoint;

    @Option(names = "--ca", description = "CA certificate PEM the devices trust (default: the manifest's CA file).")
    Path caFile;

    @Option(
            names = "--seed",
            defaultValue = "1",
            description = "Seed of signals and faults (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--basic-ingest",
            paramLabel = "RULE",
            description = "Publish to $aws/rules/RULE/dt/telemetry/<thing> (Basic Ingest).")
    String basicIngestRule;

    @Option(
            names = "--faults",
            defaultValue = "default",
            description = "none | default | heavy, optionally followed by kind=rate overrides (duplicate, out-of-order,"
                    + " late-correction, beyond-horizon, malformed, schema, spoof, oversize), e.g. default,oversize=0.")
    String faults;

    @Option(names = "--ledger", description = "Ledger file (default: <fleet>/ledger/run-<UTC time>.ledger).")
    Path ledgerFile;

    @Option(names = "--json", description = "Print the final summary as one JSON object on stdout.")
    boolean json;

    @Option(
            names = "--connects-in-flight",
            defaultValue = "50",
            description = "TLS connects at the same time (default ${DEFAULT-VALUE}).")
    int connectsInFlight;

    @Option(
            names = "--connect-rate",
            description = "New connections per second (default: 100, IoT Core's account limit; 1000 on 127.0.0.1).")
    Double connectRate;

    @Option(
            names = "--window",
            defaultValue = "10",
            description = "Unacknowledged publishes per device (default ${DEFAULT-VALUE}).")
    int window;

    @Option(
            names = "--offline-buffer",
            description = "Messages a device keeps while offline; the oldest beyond it are dropped and counted"
                    + " (default: 200,000 for the whole fleet shared out, 10 to 1000 per device, so a large fleet that cannot"
                    + " connect does not fill the heap).")
    Integer offlineBuffer;

    @Option(
            names = "--drain-timeout",
            defaultValue = "10s",
            description = "Wait for outstanding PUBACKs at the end (default ${DEFAULT-VALUE}).")
    String drainTimeout;

    @Option(
            names = "--session-expiry",
            defaultValue = "3600",
            description = "MQTT session expiry in seconds (default ${DEFAULT-VALUE}).")
    long sessionExpiry;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path folder = fleet.toAbsolutePath().normalize();
        FleetSettings settings;
        FleetManifest manifest;
        try {
            manifest = FleetManifest.read(folder);
            if (manifest.devices().isEmpty()) {
                throw new IllegalArgumentException(FleetManifest.file(folder) + " lists no devices");
            }
            settings = settings(manifest, folder);
        } catch (IllegalArgumentException e) {
            err.println("run: " + e.getMessage());
            return 1;
        }
        Path ledgerPath = ledgerFile != null
                ? ledgerFile.toAbsolutePath()
                : folder.resolve("ledger")
                        .resolve("run-"
                                + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT)
                                        .format(ZonedDateTime.now(ZoneOffset.UTC))
                                + ".ledger");
        AsyncLedger ledger;
        try {
            ledger = AsyncLedger.create(ledgerPath);
        } catch (IOException e) {
            err.println("run: cannot create the ledger " + ledgerPath + ": " + e.getMessage());
            return 3;
        }
        FleetRunner runner = new FleetRunner(settings, folder, manifest, ledger);
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(
                () -> {
                    // Ctrl-C or SIGTERM: end the run the normal way (short drain) and wait until the ledger is closed.
                    runner.requestStop();
                    try {
                        finished.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "sim-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        StatusLine status = new StatusLine(runner, err);
        long start = System.nanoTime();
        boolean connected;
        try {
            runner.start();
            status.start();
            connected = runner.awaitEnd();
            status.stop();
            // After Ctrl-C a short drain: the user wants out, and whatever is unanswered is recorded as unacknowledged.
            runner.finish(
                    !connected ? Duration.ZERO : runner.stopRequested() ? SHUTDOWN_DRAIN : settings.drainTimeout());
        } finally {
            ledger.close();
        }
        try {
            return report(out, err, runner, settings, ledger, ledgerPath, (System.nanoTime() - start) / 1e9, hook);
        } finally {
            finished.countDown();
        }
    }

    private int report(
            PrintWriter out,
            PrintWriter err,
            FleetRunner runner,
            FleetSettings settings,
            AsyncLedger ledger,
            Path ledgerPath,
            double seconds,
            Thread hook)
            throws IOException {
        RunSummary summary =
                RunSummary.of(runner, seconds, ledgerPath.toString(), ledger.entriesWritten(), ledger.failure());
        if (json) {
            out.println(new ObjectMapper().writeValueAsString(summary.asMap()));
        } else {
            printTable(out, summary, settings);
        }
        for (String problem : summary.problems()) {
            err.println("run: " + problem);
        }
        out.flush();
        err.flush();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // Already in shutdown (Ctrl-C): the hook is waiting for `finished`, which is counted down above.
        }
        if (summary.ledgerFailure() != null) {
            err.println("run: " + summary.ledgerFailure());
            return 3;
        }
        if (!summary.fleetConnected()) {
            err.printf(
                    "run: %d of %d devices never connected%n",
                    summary.devices() - summary.everConnected(), summary.devices());
            return 2;
        }
        if (summary.sent() > 0 && summary.acked() == 0) {
            err.println("run: the broker acknowledged none of " + summary.sent() + " messages");
            return 4;
        }
        return 0;
    }

    private FleetSettings settings(FleetManifest manifest, Path folder) {
        String hostPort = endpoint != null
                ? endpoint
                : manifest.endpoint() != null && !manifest.endpoint().isBlank()
                        ? manifest.endpoint()
                        : ProjectLocations.localCloudVariable("IOT_ENDPOINT").orElse(null);
        if (hostPort == null || hostPort.isBlank()) {
            throw new IllegalArgumentException(
                    "no broker endpoint: the manifest has none and no local IoT Core runs"
                            + " (IOT_ENDPOINT, exported by `source <state>/env` or in .local-cloud/env); pass --endpoint host:port");
        }
        int colon = hostPort.lastIndexOf(':');
        String host = colon < 0 ? hostPort : hostPort.substring(0, colon);
        int port;
        try {
            port = colon < 0 ? 8883 : Integer.parseInt(hostPort.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--endpoint '" + hostPort + "': the port is not a number");
        }
        String ca = caFile != null
                ? caFile.toAbsolutePath().toString()
                : manifest.caFile() == null
                        ? null
                        : FleetManifest.resolve(folder, manifest.caFile()).toString();
        if (ca != null && !Files.isReadable(Path.of(ca))) {
            throw new IllegalArgumentException(
                    "CA file " + ca + " is missing or unreadable (every device needs it to trust the"
                            + " broker): pass --ca FILE or provision again");
        }
        if (batch < 1 || batch > ValidationLimits.DEFAULT_MAX_READINGS) {
            throw new IllegalArgumentException("--batch " + batch + ": a message carries 1 to "
                    + ValidationLimits.DEFAULT_MAX_READINGS + " readings");
        }
        int buffer = offlineBuffer != null
                ? offlineBuffer
                : Math.max(
                        10,
                        Math.min(
                                1000,
                                FLEET_OFFLINE_MESSAGES / manifest.devices().size()));
        if (window < 1 || buffer < 1 || connectsInFlight < 1) {
            throw new IllegalArgumentException(
                    "--window, --offline-buffer and --connects-in-flight must be at least 1");
        }
        boolean loopback = host.equals("127.0.0.1") || host.equals("localhost") || host.equals("::1");
        double connectsPerSecond = connectRate != null ? connectRate : loopback ? 1000 : 100;
        return new FleetSettings(
                host,
                port,
                ca,
                parseRate(rate),
                batch,
                DurationText.parse(duration, "--duration"),
                messages,
                seed,
                basicIngestRule,
                FaultRates.parse(faults),
                ValidationLimits.defaults(),
                connectsInFlight,
                connectsPerSecond,
                window,
                buffer,
                DurationText.parse(drainTimeout, "--drain-timeout"),
                sessionExpiry);
    }

    static double parseRate(String text) {
        Matcher m = RATE.matcher(text.strip());
        if (!m.matches() || Double.parseDouble(m.group(1)) <= 0) {
            throw new IllegalArgumentException("--rate '" + text + "': use readings per device like 1/s, 30/m or 2/h");
        }
        double value = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "m", "min" -> value / 60;
            case "h", "hour" -> value / 3600;
            default -> value;
        };
    }

    private static void printTable(PrintWriter out, RunSummary s, FleetSettings settings) {
        out.println();
        out.printf(
                "%-22s %s:%d, %s%n",
                "endpoint",
                settings.endpointHost(),
                settings.endpointPort(),
                settings.basicIngestRule() == null
                        ? "topic dt/telemetry/<thing>"
                        : "Basic Ingest rule " + settings.basicIngestRule());
        out.printf(
                "%-22s %d of %d connected (all first attempts in %.1f s)%n",
                "devices", s.everConnected(), s.devices(), s.connectSeconds());
        out.printf("%-22s %d%n", "messages generated", s.generated());
        out.printf("%-22s %d%n", "sent", s.sent());
        out.printf("%-22s %d (%.0f msg/s over %.1f s)%n", "acked", s.acked(), s.ackedPerSecond(), s.runSeconds());
        out.printf(
                "%-22s %d (refused %d, dropped from offline buffer %d)%n",
                "unacked", s.unacked(), s.refused(), s.dropped());
        out.printf("%-22s p50 %.2f ms, p99 %.2f ms%n", "PUBACK latency", s.p50Ms(), s.p99Ms());
        out.printf("%-22s %d%n", "reconnects", s.reconnects());
        out.printf("%-22s %d%n", "errors", s.errors());
        out.printf("%-22s %s (%d entries)%n", "ledger", s.ledger(), s.ledgerEntries());
        out.printf("%-22s %s%n", "faults", settings.faults());
    }

    /** The one updating status line on stderr (a new line every 10 s when stderr is not a terminal). */
    private static final class StatusLine {
        private final FleetRunner runner;
        private final PrintWriter err;
        private final boolean terminal = System.console() != null;
        private Thread thread;

        StatusLine(FleetRunner runner, PrintWriter err) {
            this.runner = runner;
            this.err = err;
        }

        void start() {
            thread = new Thread(this::loop, "sim-status");
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            thread.interrupt();
            thread.join(2_000);
            if (terminal) {
                err.println();
                err.flush();
            }
        }

        private void loop() {
            FleetStats s = runner.stats();
            long lastAcked = 0;
            long lastNanos = System.nanoTime();
            int tick = 0;
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(1_000);
                } catch (InterruptedException e) {
                    return;
                }
                long now = System.nanoTime();
                long acked = s.acked.sum();
                double perSecond = (acked - lastAcked) / ((now - lastNanos) / 1e9);
                lastAcked = acked;
                lastNanos = now;
                tick++;
                String line = String.format(
                        Locale.ROOT,
                        "connected %d/%d | %.0f msg/s | acked %d | in flight %d | buffered %d | p50 %.1f ms p99 %.1f ms | reconnects %d | errors %d",
                        s.connected.get(),
                        runner.activeDevices(),
                        perSecond,
                        acked,
                        s.inFlight.get(),
                        s.buffered.get(),
                        s.latency.percentileMillis(0.5),
                        s.latency.percentileMillis(0.99),
                        s.reconnects.sum(),
                        s.refused.sum() + s.failed.sum() + s.connectFailures.sum());
                if (terminal) {
                    err.print("\r" + line + "   ");
                    err.flush();
                } else if (tick % 10 == 0) {
                    err.println(line);
                    err.flush();
                }
            }
        }
    }
}
