package io.github.iottelemetry.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.iottelemetry.console.ConsoleOptions;
import io.github.iottelemetry.console.ConsoleServer;
import io.github.iottelemetry.core.text.DurationText;
import io.github.iottelemetry.core.window.Resolution;
import io.github.iottelemetry.localcloud.EnvFile;
import io.github.iottelemetry.localcloud.LocalCloud;
import io.github.iottelemetry.localcloud.LocalCloudOptions;
import io.github.iottelemetry.localcloud.iot.IotSettings;
import io.github.iottelemetry.localcloud.lambda.LocalEventSourceMappings;
import io.github.iottelemetry.localcloud.process.PortAssignment;
import io.github.iottelemetry.localiot.LocalIotCore;
import io.github.iottelemetry.query.catalog.LakeCatalog;
import io.github.iottelemetry.query.catalog.NamedQuery;
import io.github.iottelemetry.query.engine.LocalQueryEngine;
import io.github.iottelemetry.query.engine.QueryResult;
import io.github.iottelemetry.verify.LedgerExpectation;
import io.github.iottelemetry.verify.Verification;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pipeline demo}: the whole pipeline on this machine, then proof that it was exact. The local
 * cloud (with IoT Core and the ingest Lambda's event source mapping) runs in this JVM; the
 * stream-processor workers and the simulated fleet run as their own processes, as on AWS.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description =
                "Run a simulated fleet through the whole local pipeline, verify exactly-once against its ledger, run the named queries.")
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--devices", defaultValue = "200", description = "Simulated devices (default ${DEFAULT-VALUE}).")
    int devices;

    @Option(
            names = "--duration",
            defaultValue = "2m",
            description = "How long the fleet publishes (default ${DEFAULT-VALUE}).")
    String duration;

    @Option(
            names = "--rate",
            defaultValue = "1/s",
            description = "Readings per device: N/s, N/m or N/h (default ${DEFAULT-VALUE}).")
    String rate;

    @Option(
            names = "--allowed-lateness",
            paramLabel = "SECONDS",
            description = "How long a window stays open after the watermark passes its end (the template's "
                    + "AllowedLatenessSeconds, 120 by default): the ingest function and the workers get it.")
    Integer allowedLateness;

    @Option(
            names = "--poll-interval-ms",
            paramLabel = "MILLIS",
            description = "Pause between a worker's GetRecords calls on a shard (the workers' KCL_POLL_INTERVAL_MS, "
                    + "1000 by default, 200 at least): shorter notices a window's close sooner. On AWS a shard serves "
                    + "5 reads a second to all its consumers, the ingest function's event source mapping takes 1.")
    Integer pollIntervalMillis;

    @Option(names = "--batch", defaultValue = "10", description = "Readings per message (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(
            names = "--faults",
            defaultValue = "default",
            description = "default, none or heavy (default ${DEFAULT-VALUE}).")
    String faults;

    @Option(
            names = "--workers",
            defaultValue = "2",
            description = "Stream-processor workers (default ${DEFAULT-VALUE}).")
    int workers;

    @Option(
            names = "--state-dir",
            description = "Where the demo keeps its local cloud (default .local-cloud-demo; emptied first).")
    Path stateDir;

    @Option(
            names = "--drain-timeout",
            defaultValue = "4m",
            description = "How long to wait for the outputs to settle (default ${DEFAULT-VALUE}).")
    String drainTimeout;

    @Option(
            names = "--chaos",
            description = "While the fleet runs: split a shard and merge its children, freeze a worker past its "
                    + "lease (SIGSTOP, then SIGCONT), kill another (SIGKILL) and start a new one, make the ingest function fail a batch "
                    + "and time out after part of another's writes. Verify must still be EXACT.")
    boolean chaos;

    @CommandLine.Mixin
    ConsoleOptions console = new ConsoleOptions();

    public static void main(String[] args) {
        System.exit(new CommandLine(new DemoCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Path home = Path.of(System.getProperty("pipeline.home", "")).toAbsolutePath();
        Path state = stateDir != null ? stateDir.toAbsolutePath() : home.resolve(".local-cloud-demo");
        Path template = home.resolve("template.yaml");
        long started = System.nanoTime();
        long drainTimeoutSeconds =
                DurationText.parse(drainTimeout, "--drain-timeout").toSeconds();
        DurationText.parse(duration, "--duration");
        // ./pipeline builds every command's module and the Lambda's package before any of them runs.
        requireBuilt(home.resolve("ingest-lambda/target/lambda/lib"));

        step("starting the local cloud (Kinesis, DynamoDB, S3, IoT Core) in " + state);
        LocalCloudOptions options = LocalCloudOptions.defaults(home)
                .withStateDirectory(state, true)
                .withTemplate(
                        Optional.of(template),
                        allowedLateness == null
                                ? Map.of()
                                : Map.of("AllowedLatenessSeconds", allowedLateness.toString()))
                .withFreePorts()
                .withIot(IotSettings.on(PortAssignment.freePort(), false, LocalIotCore::start));
        CountDownLatch interrupted = new CountDownLatch(1);
        CountDownLatch cleanedUp = new CountDownLatch(1);
        try (LocalCloud cloud = LocalCloud.start(options);
                LocalEventSourceMappings lambdas =
                        LocalEventSourceMappings.start(cloud, LocalEventSourceMappings.LAMBDA_POLL_INTERVAL);
                ConsoleServer consoleServer = console.startLocal(template, options.stackName(), cloud.environment())) {
            lambdas.lines().forEach(line -> System.out.println("  " + line));
            // As `up` does: `source <state>/env` reaches this local cloud while the demo runs.
            EnvFile.write(state.resolve("env"), cloud.environment());
            if (consoleServer != null) {
                step("console: " + consoleServer.url() + " (open it to watch the run)");
                Runtime.getRuntime()
                        .addShutdownHook(new Thread(
                                () -> {
                                    interrupted.countDown();
                                    try {
                                        cleanedUp.await(60, TimeUnit.SECONDS);
                                    } catch (InterruptedException e) {
                                        Thread.currentThread().interrupt();
                                    }
                                },
                                "stop demo"));
            }
            Map<String, String> env = new HashMap<>(cloud.environment());
            env.put("KCL_APPLICATION_NAME", "demo-stream-processor");
            env.put(WORKER_JAVA_OPTIONS_VARIABLE, workerJavaOptions(System.getenv(WORKER_JAVA_OPTIONS_VARIABLE)));
            env.put("KCL_FAST_LEASES", "true");
            env.put("IDLE_TIMEOUT_SECONDS", "15");
            if (allowedLateness != null) {
                env.put("ALLOWED_LATENESS_SECONDS", allowedLateness.toString());
            }
            if (pollIntervalMillis != null) {
                env.put("KCL_POLL_INTERVAL_MS", pollIntervalMillis.toString());
            }
            try (ChildProcesses children = new ChildProcesses(home, state.resolve("logs/demo"), env)) {
                step("starting " + workers + " stream-processor workers");
                ProcessorWorkers processors = new ProcessorWorkers(children);
                for (int w = 1; w <= workers; w++) {
                    processors.start("processor-" + w);
                }
                step("provisioning " + devices + " devices from the local CA");
                Path fleet = state.resolve("fleet");
                children.run(
                        "provision",
                        List.of(
                                "sim",
                                "provision",
                                "--devices",
                                Integer.toString(devices),
                                "--out",
                                fleet.toString(),
                                "--ca-dir",
                                state.resolve("iot/ca").toString(),
                                "--endpoint",
                                env.get("IOT_ENDPOINT")),
                        900);

                step("running the fleet for " + duration + " (faults: " + faults + (chaos ? ", with chaos" : "") + ")");
                Path ledger = state.resolve("ledger.bin.gz");
                ChaosRun chaosRun = new ChaosRun(
                        cloud.kinesis(),
                        env.get("STREAM_NAME"),
                        lambdas.mappings().values(),
                        processors);
                if (chaos) {
                    // The simulator's duration form (30s, 2m, 1m30s) is java.time's ISO form without "PT".
                    chaosRun.start(Duration.parse("PT" + duration.toUpperCase(java.util.Locale.ROOT)));
                }
                String json;
                try (chaosRun) {
                    json = children.run(
                            "sim-run",
                            List.of(
                                    "sim",
                                    "run",
                                    "--fleet",
                                    fleet.toString(),
                                    "--duration",
                                    duration,
                                    "--batch",
                                    Integer.toString(batch),
                                    "--rate",
                                    rate,
                                    "--faults",
                                    faults,
                                    "--ledger",
                                    ledger.toString(),
                                    "--json"),
                            3600);
                }
                JsonNode sim = new ObjectMapper().readTree(json.substring(json.indexOf('{')));

                step("waiting for the pipeline to drain and the outputs to match the ledger (up to "
                        + drainTimeoutSeconds + " s)");
                LakeCatalog catalog = LakeCatalog.fromTemplate(template, options.stackName(), options.region());
                LedgerExpectation expectation = LedgerExpectation.read(ledger);
                List<Resolution> resolutions = Resolution.parseList(env.getOrDefault("AGGREGATION_RESOLUTIONS", "1m"));
                Verification.Verdict verdict =
                        awaitVerdict(cloud, catalog, expectation, resolutions, env, drainTimeoutSeconds);
                Verification.print(verdict, System.out);

                step("named queries");
                runNamedQueries(cloud, catalog, env, expectation);

                // The workers' last minute of metrics goes out when they stop (SIGTERM: a graceful shutdown).
                children.close();
                Summary.print(
                        sim,
                        batch,
                        expectation,
                        verdict,
                        cloud,
                        catalog,
                        env,
                        (System.nanoTime() - started) / 1e9,
                        chaosRun.log(),
                        state.resolve("logs/demo"));
                if (consoleServer != null) {
                    step("the console stays open at " + consoleServer.url() + "; Ctrl-C stops it and the local cloud");
                    System.out.flush();
                    interrupted.await();
                }
                return verdict.exact() ? 0 : 1;
            }
        } finally {
            Files.deleteIfExists(state.resolve("env"));
            cleanedUp.countDown();
        }
    }

    /** Checks every few seconds until DynamoDB, the lake and quarantine match the ledger, or the timeout. */
    private Verification.Verdict awaitVerdict(
            LocalCloud cloud,
            LakeCatalog catalog,
            LedgerExpectation expectation,
            List<Resolution> resolutions,
            Map<String, String> env,
            long drainTimeoutSeconds)
            throws InterruptedException {
        long deadline =
                System.nanoTime() + Duration.ofSeconds(drainTimeoutSeconds).toNanos();
        while (true) {
            Verification.Verdict v;
            try (LocalQueryEngine lake = new LocalQueryEngine(catalog, cloud.bucketFolder(env.get("LAKE_BUCKET")))) {
                v = Verification.run(expectation, resolutions, cloud.dynamoDb(), env.get("AGGREGATES_TABLE"), lake);
            }
            if (v.exact() || System.nanoTime() > deadline) {
                return v;
            }
            System.out.printf(
                    "  not settled yet: DynamoDB exact %d missing %d different %d; lake exact %d missing %d%n",
                    v.dynamoDb().exact(),
                    v.dynamoDb().missing(),
                    v.dynamoDb().different(),
                    v.lake().exact(),
                    v.lake().missing());
            Thread.sleep(5_000);
        }
    }

    private static void runNamedQueries(
            LocalCloud cloud, LakeCatalog catalog, Map<String, String> env, LedgerExpectation expectation) {
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        String device = String.format("sim-%06d", 1);
        Map<String, List<String>> parameters = Map.of(
                "device-hourly-summary", List.of(device, today),
                "fleet-metric-range", List.of(today, today),
                "silent-devices", List.of(today, Long.toString(System.currentTimeMillis() - 60_000)),
                "top-devices-by-metric", List.of("temperature", today, today, "5"),
                "quarantine-by-reason", List.of(today, today));
        try (LocalQueryEngine lake = new LocalQueryEngine(catalog, cloud.bucketFolder(env.get("LAKE_BUCKET")))) {
            for (NamedQuery q : catalog.namedQueries()) {
                List<String> params = parameters.getOrDefault(q.name(), List.of());
                if (params.size() != q.parameterCount()) {
                    System.out.println("  " + q.name() + ": skipped (the demo has no parameters for it)");
                    continue;
                }
                QueryResult r = lake.run(q.sql(), params);
                System.out.printf(
                        "  %s %s: %d rows%s%n",
                        q.name(),
                        params,
                        r.rows().size(),
                        r.rows().isEmpty()
                                ? ""
                                : ", first " + r.columns() + " = " + r.rows().get(0));
            }
        }
    }

    /** The launcher's JVM options for the processor command (see ./pipeline). */
    static final String WORKER_JAVA_OPTIONS_VARIABLE = "PIPELINE_JAVA_OPTS_PROCESSOR";

    /**
     * The demo's workers compile with C1 only. Their work comes in bursts: once a minute every device's window closes
     * and is written. Code that runs only then crosses the JIT's thresholds a few hundred methods at a time, so with
     * C2 each burst set off ~300 compilations (1.4-1.5 s of compile time per worker, still at the fifth minute) on a
     * machine whose two cores the burst already needs; C1 compiles in a fraction of that, and the workers used less CPU
     * in total (README, "Capacity and lag"). Options the user gives in the same variable come after, so they win.
     */
    static String workerJavaOptions(String userOptions) {
        String jit = "-XX:TieredStopAtLevel=1";
        return userOptions == null || userOptions.isBlank() ? jit : jit + " " + userOptions.strip();
    }

    /** The stream-processor workers, started through the launcher like a user starts them; chaos may replace one. */
    private static final class ProcessorWorkers implements ChaosRun.Workers {
        private final ChildProcesses children;
        private final Map<String, Process> running = new java.util.LinkedHashMap<>();
        private final Map<String, Integer> generation = new HashMap<>();

        ProcessorWorkers(ChildProcesses children) {
            this.children = children;
        }

        synchronized void start(String name) throws java.io.IOException {
            int g = generation.merge(name, 1, Integer::sum);
            running.put(
                    name,
                    children.start(
                            name, List.of("processor", "--worker-id", "demo-" + name + (g == 1 ? "" : "-" + g))));
        }

        @Override
        public synchronized List<String> names() {
            return List.copyOf(running.keySet());
        }

        /** The launcher execs java, so the process it started is the worker's JVM. */
        @Override
        public synchronized ProcessHandle jvm(String name) {
            return running.get(name).toHandle();
        }

        @Override
        public void replace(String name) throws java.io.IOException {
            start(name);
        }
    }

    private static void requireBuilt(Path lambdaPackage) {
        if (!Files.isDirectory(lambdaPackage)) {
            throw new IllegalStateException(
                    "no ingest Lambda package in " + lambdaPackage.getParent()
                            + ": run the demo through ./pipeline, which builds it (or ./mvnw -pl ingest-lambda -am package -DskipTests)");
        }
    }

    private static void step(String what) {
        System.out.println("==> " + what);
    }
}
