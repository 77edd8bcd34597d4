package io.github.iottelemetry.sim.bench;

import io.github.iottelemetry.core.validation.ValidationLimits;
import io.github.iottelemetry.localca.LocalCertificateAuthority;
import io.github.iottelemetry.localcloud.LocalCloud;
import io.github.iottelemetry.localcloud.LocalCloudEndpoints;
import io.github.iottelemetry.localcloud.LocalCloudOptions;
import io.github.iottelemetry.localcloud.StateFolder;
import io.github.iottelemetry.localiot.LocalIotCore;
import io.github.iottelemetry.localiot.LocalIotOptions;
import io.github.iottelemetry.sim.faults.FaultRates;
import io.github.iottelemetry.sim.fleet.FleetRunner;
import io.github.iottelemetry.sim.fleet.FleetSettings;
import io.github.iottelemetry.sim.fleet.FleetStats;
import io.github.iottelemetry.sim.ledger.AsyncLedger;
import io.github.iottelemetry.sim.provision.FleetManifest;
import io.github.iottelemetry.sim.provision.LocalProvisioner;
import io.github.iottelemetry.sim.provision.ThingNames;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Fleet throughput from one JVM over mTLS: {@code fleet} runs 1,000 then 5,000 devices against the local broker
 * (no rules); {@code kinesis} runs 1,000 devices through broker + template rule + Kinesis action into kinesalite
 * (LocalCloud and LocalIotCore in this JVM). Heap and RSS are of the whole JVM, broker included.
 * Arguments: {@code all | fleet | kinesis} [seconds of steady publishing, default 30].
 */
public final class FleetBenchmark {

    private FleetBenchmark() {}

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "all";
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        Path work = Files.createTempDirectory("device-sim-bench");
        try {
            if (mode.equals("all") || mode.equals("fleet")) {
                URI unused = URI.create("http://127.0.0.1:9");
                Path template = Path.of("src/test/resources/device-sim-test-template.yaml")
                        .toAbsolutePath();
                try (LocalIotCore iot = LocalIotCore.start(LocalIotOptions.of(
                        work.resolve("state"),
                        template,
                        "bench",
                        Map.of(),
                        unused,
                        unused,
                        "us-east-1",
                        "local",
                        "local-secret"))) {
                    measure("broker only", iot, work.resolve("fleet-1000"), 1000, 10.0, seconds);
                    measure("broker only", iot, work.resolve("fleet-5000"), 5000, 3.0, seconds);
                }
            }
            if (mode.equals("all") || mode.equals("kinesis")) {
                Path template = projectTemplate();
                Path cloudState = work.resolve("cloud");
                LocalCloudOptions options = LocalCloudOptions.defaults(template.getParent())
                        .withStateDirectory(cloudState, true)
                        .withTemplate(Optional.of(template), Map.of())
                        .withFreePorts();
                try (LocalCloud cloud = LocalCloud.start(options)) {
                    LocalCloudEndpoints e = cloud.endpoints();
                    try (LocalIotCore iot = LocalIotCore.start(LocalIotOptions.of(
                            cloudState,
                            template,
                            options.stackName(),
                            options.parameterValues(),
                            e.kinesis(),
                            e.s3(),
                            e.region(),
                            LocalCloudEndpoints.ACCESS_KEY_ID,
                            LocalCloudEndpoints.SECRET_ACCESS_KEY))) {
                        long before = iot.counters().actionsSucceeded.sum();
                        long start = System.nanoTime();
                        measure(
                                "broker + rule + Kinesis (kinesalite)",
                                iot,
                                work.resolve("fleet-kinesis"),
                                1000,
                                10.0,
                                seconds);
                        Thread.sleep(2_000); // the Kinesis action's last batches
                        double s = (System.nanoTime() - start) / 1e9;
                        long actions = iot.counters().actionsSucceeded.sum() - before;
                        System.out.printf(
                                "  rule actions succeeded: %d (%.0f/s over %.0f s incl. connect), failed %d, undeliverable %d%n",
                                actions,
                                actions / s,
                                s,
                                iot.counters().actionsFailed.sum(),
                                iot.counters().undeliverable.sum());
                    }
                }
            }
        } finally {
            StateFolder.deleteRecursively(work);
        }
    }

    private static void measure(
            String label, LocalIotCore iot, Path fleet, int devices, double messagesPerDevicePerSecond, int seconds)
            throws Exception {
        long provisionStart = System.nanoTime();
        new LocalProvisioner(LocalCertificateAuthority.openOrCreate(
                        iot.certificateAuthority().folder()))
                .provision(fleet, ThingNames.of("b" + devices + "-", devices), iot.endpoint());
        double provisionSeconds = (System.nanoTime() - provisionStart) / 1e9;
        FleetManifest manifest = FleetManifest.read(fleet);
        int batch = 10;
        FleetSettings settings = new FleetSettings(
                "127.0.0.1",
                iot.port(),
                iot.caCertificateFile().toString(),
                messagesPerDevicePerSecond * batch,
                batch,
                Duration.ofHours(1),
                0,
                1,
                null,
                FaultRates.none(),
                ValidationLimits.defaults(),
                50,
                1000,
                10,
                20,
                Duration.ofSeconds(10),
                3600);
        AsyncLedger ledger = AsyncLedger.create(fleet.resolve("bench.ledger"));
        FleetRunner runner = new FleetRunner(settings, fleet, manifest, ledger);
        runner.start();
        FleetStats stats = runner.stats();
        long lastReport = System.nanoTime();
        while (stats.connectOutcomes.get() < devices) {
            Thread.sleep(100);
            if (System.nanoTime() - lastReport > 5e9) {
                lastReport = System.nanoTime();
                progress("connecting", runner, stats, ledger);
            }
        }
        double connectSeconds = runner.connectSecondsSoFar();
        Thread.sleep(3_000); // settle: buffers from the connect phase drain
        long ackedStart = stats.acked.sum();
        long t0 = System.nanoTime();
        for (int s = 0; s < seconds; s += 5) {
            Thread.sleep(Math.min(5, seconds - s) * 1000L);
            progress("publishing", runner, stats, ledger);
        }
        double elapsed = (System.nanoTime() - t0) / 1e9;
        long acked = stats.acked.sum() - ackedStart;
        System.gc();
        long heapUsed = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long rss = rssBytes();
        runner.requestStop();
        runner.finish(Duration.ofSeconds(10));
        ledger.close();
        System.out.printf(
                "%n%s, %d devices over mTLS, offered %.0f msg/s (%d readings each):%n",
                label, devices, devices * messagesPerDevicePerSecond, batch);
        System.out.printf(
                "  provision %.1f s, connect %.1f s (%d connected, %d connect failures)%n",
                provisionSeconds, connectSeconds, stats.everConnected.get(), stats.connectFailures.sum());
        System.out.printf(
                "  acked %.0f msg/s sustained over %.0f s; PUBACK p50 %.1f ms, p99 %.1f ms; dropped %d, reconnects %d%n",
                acked / elapsed,
                elapsed,
                stats.latency.percentileMillis(0.5),
                stats.latency.percentileMillis(0.99),
                stats.dropped.sum(),
                stats.reconnects.sum());
        System.out.printf(
                "  heap after GC %d MiB, RSS %d MiB (JVM with broker and simulator)%n", heapUsed >> 20, rss >> 20);
    }

    private static void progress(String phase, FleetRunner runner, FleetStats stats, AsyncLedger ledger) {
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        System.out.printf(
                "  %s %.0f s: connect outcomes %d, connected %d, acked %d, in flight %d, buffered %d, ledger backlog %d,"
                        + " heap %d MiB%s%n",
                phase,
                runner.connectSecondsSoFar(),
                stats.connectOutcomes.get(),
                stats.everConnected.get(),
                stats.acked.sum(),
                stats.inFlight.get(),
                stats.buffered.get(),
                ledger.backlog(),
                heap >> 20,
                ledger.failure() == null ? "" : ", LEDGER FAILED: " + ledger.failure());
    }

    private static long rssBytes() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return -1;
    }

    private static Path projectTemplate() {
        for (Path folder = Path.of("").toAbsolutePath(); folder != null; folder = folder.getParent()) {
            if (Files.isRegularFile(folder.resolve("template.yaml"))) {
                return folder.resolve("template.yaml");
            }
        }
        throw new IllegalStateException("no template.yaml in " + Path.of("").toAbsolutePath() + " or its parents");
    }
}
