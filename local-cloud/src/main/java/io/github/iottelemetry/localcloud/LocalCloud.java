package io.github.iottelemetry.localcloud;

import io.github.iottelemetry.core.live.LiveMetrics;
import io.github.iottelemetry.localcloud.dynamodb.DynamoDbEngine;
import io.github.iottelemetry.localcloud.iot.IotCore;
import io.github.iottelemetry.localcloud.iot.IotStartRequest;
import io.github.iottelemetry.localcloud.kinesis.KinesisEmulator;
import io.github.iottelemetry.localcloud.process.ChildProcess;
import io.github.iottelemetry.localcloud.process.EngineStartException;
import io.github.iottelemetry.localcloud.process.PidFile;
import io.github.iottelemetry.localcloud.provision.LocalResourcePlan;
import io.github.iottelemetry.localcloud.provision.Provisioner;
import io.github.iottelemetry.localcloud.provision.ProvisioningReport;
import io.github.iottelemetry.localcloud.provision.TemplateProvisioning;
import io.github.iottelemetry.localcloud.s3.S3ProxyServer;
import io.github.iottelemetry.template.LocalStateFolder;
import io.github.iottelemetry.template.StackNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import java.util.stream.Stream;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A running local cloud: the Kinesis emulator, dynalite (DynamoDB) and S3Proxy as child processes, the
 * template's streams, tables and buckets provisioned. Closing it stops every engine; so does
 * the JVM's exit (shutdown hooks), and the next start on the same state folder stops engines that a
 * SIGKILL left behind.
 */
public final class LocalCloud implements AutoCloseable {

    private final LocalCloudOptions options;
    private final LocalCloudEndpoints endpoints;
    private final List<ChildProcess> children;
    private final PidFile pidFile;
    private final List<AutoCloseable> clients = new ArrayList<>();
    private ProvisioningReport provisioning = ProvisioningReport.EMPTY;
    private double enginesStartSeconds;
    private double provisioningSeconds;
    private double iotStartSeconds;
    private Optional<IotCore> iot = Optional.empty();
    private final Map<String, Supplier<?>> liveSections = new java.util.concurrent.ConcurrentSkipListMap<>();
    private LiveMetrics liveMetrics;

    private LocalCloud(
            LocalCloudOptions options, LocalCloudEndpoints endpoints, List<ChildProcess> children, PidFile pidFile) {
        this.options = options;
        this.endpoints = endpoints;
        this.children = children;
        this.pidFile = pidFile;
    }

    /** Starts the engines and, when the options name a template, provisions it. */
    public static LocalCloud start(LocalCloudOptions options) {
        long startNanos = System.nanoTime();
        AwsClients.disableKinesisCbor();
        EngineInstallation installation = EngineInstallation.locate();
        Path state = options.stateDirectory().toAbsolutePath();
        PidFile pidFile = new PidFile(state.resolve("pids"));
        pidFile.stopOrphans().forEach(System.err::println);
        options.kinesisPortAssignment().requireFree();
        if (options.dynamoDbEndpoint().isEmpty()) {
            options.dynamoDbPortAssignment().requireFree();
        }
        options.s3PortAssignment().requireFree();
        if (options.iot().enabled()) {
            if (options.template().isEmpty()) {
                throw new EngineStartException("IoT Core runs the template's policies and rules: it needs a template");
            }
            if (options.iot().mqttPort() != 0) {
                options.iot().portAssignment().requireFree();
            }
        }
        if (options.fresh()) {
            deleteEngineData(state);
        }
        pidFile.recordOwner(ProcessHandle.current());

        // Everything that does not need a running engine (reading the template, building SDK clients:
        // about 2 s of a cold JVM) runs while the engines start.
        LocalCloudEndpoints loopback = LocalCloudEndpoints.onLoopback(
                options.kinesisPort(),
                options.dynamoDbPort(),
                options.s3Port(),
                options.region(),
                options.kinesisEngine());
        LocalCloudEndpoints endpoints =
                options.dynamoDbEndpoint().map(loopback::withDynamoDb).orElse(loopback);
        CompletableFuture<Optional<LocalResourcePlan>> plan = CompletableFuture.supplyAsync(() -> options.template()
                .map(template -> TemplateProvisioning.plan(
                        template, options.stackName(), options.region(), options.parameterValues())));
        CompletableFuture<ProvisioningClients> provisioningClients =
                CompletableFuture.supplyAsync(() -> ProvisioningClients.of(endpoints));
        Path logs = state.resolve("logs");
        CompletableFuture<ChildProcess> s3 = CompletableFuture.supplyAsync(() -> S3ProxyServer.start(
                options.s3Port(),
                state.resolve("s3"),
                LocalCloudEndpoints.ACCESS_KEY_ID,
                LocalCloudEndpoints.SECRET_ACCESS_KEY,
                logs.resolve("s3proxy.log"),
                installation));
        CompletableFuture<ChildProcess> kinesis = CompletableFuture.supplyAsync(() -> KinesisEmulator.start(
                options.kinesisEngine(),
                options.kinesisPort(),
                state.resolve("kinesis").resolve(options.kinesisEngine().cliName()),
                logs.resolve(options.kinesisEngine().cliName() + ".log"),
                installation,
                Set.of(options.dynamoDbPort(), options.s3Port())));
        Path dynamoDbData = state.resolve("dynamodb");
        if (options.dynamoDbEndpoint().isEmpty()
                && !options.dynamoDbInMemory()
                && DynamoDbEngine.hasDynamoDbLocalData(dynamoDbData)) {
            System.err.println(
                    "local cloud: " + dynamoDbData + " holds tables of DynamoDB Local, which the local cloud "
                            + "no longer runs; they are not carried over (delete the file, or start with --fresh)");
        }
        CompletableFuture<Optional<ChildProcess>> dynamoDb =
                options.dynamoDbEndpoint().isPresent()
                        ? CompletableFuture.completedFuture(Optional.empty())
                        : CompletableFuture.supplyAsync(() -> Optional.of(DynamoDbEngine.start(
                                options.dynamoDbPort(),
                                dynamoDbData.resolve(DynamoDbEngine.NAME),
                                options.dynamoDbInMemory(),
                                DynamoDbEngine.DEFAULT_TTL_SWEEP,
                                logs.resolve(DynamoDbEngine.NAME + ".log"),
                                installation)));
        List<ChildProcess> children = new ArrayList<>();
        Optional<LocalResourcePlan> resourcePlan;
        try {
            resourcePlan = join(plan);
            children.add(join(kinesis));
            join(dynamoDb).ifPresent(children::add);
            children.add(join(s3));
        } catch (RuntimeException e) {
            Stream.of(kinesis, s3).forEach(future -> future.thenAccept(ChildProcess::close));
            dynamoDb.thenAccept(started -> started.ifPresent(ChildProcess::close));
            provisioningClients.thenAccept(ProvisioningClients::close);
            pidFile.delete();
            throw e;
        }
        children.forEach(child -> pidFile.record(child.handle(), child.name()));

        LocalCloud cloud = new LocalCloud(options, endpoints, children, pidFile);
        cloud.enginesStartSeconds = (System.nanoTime() - startNanos) / 1e9;
        long provisionNanos = System.nanoTime();
        // The broker starts while provisioning runs: it needs the stream and bucket only when a message arrives,
        // and nobody knows its endpoint before start returns.
        CompletableFuture<Optional<IotCore>> iot = options.iot().enabled()
                ? CompletableFuture.supplyAsync(() -> Optional.of(startIot(new IotStartRequest(
                        options.iot(),
                        state,
                        options.template().orElseThrow(),
                        options.stackName(),
                        options.parameterValues(),
                        endpoints))))
                : CompletableFuture.completedFuture(Optional.empty());
        try (ProvisioningClients clients = join(provisioningClients)) {
            resourcePlan.ifPresent(resources -> cloud.provisioning =
                    new Provisioner(clients.kinesis(), clients.dynamoDb(), clients.s3()).apply(resources));
            cloud.provisioningSeconds = (System.nanoTime() - provisionNanos) / 1e9;
            cloud.iot = join(iot);
        } catch (RuntimeException e) {
            iot.thenAccept(started -> started.ifPresent(IotCore::close));
            cloud.close();
            throw e;
        }
        cloud.iotStartSeconds = (System.nanoTime() - provisionNanos) / 1e9;
        cloud.iot.ifPresent(core -> cloud.addLiveMetrics("iot", core::liveMetrics));
        // A new local cloud, new counters: what processes of an earlier run published is gone.
        deleteLiveMetrics(cloud.liveMetricsFolder());
        cloud.liveMetrics = LiveMetrics.publish(
                cloud.liveMetricsFolder(), "local-cloud", cloud::liveValues, LiveMetrics.DEFAULT_INTERVAL);
        return cloud;
    }

    private static void deleteLiveMetrics(Path folder) {
        if (!Files.isDirectory(folder)) {
            return;
        }
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot empty " + folder, e);
        }
    }

    private static IotCore startIot(IotStartRequest request) {
        try {
            return request.settings().starter().start(request);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new EngineStartException("IoT Core: " + e.getMessage(), e);
        }
    }

    public LocalCloudEndpoints endpoints() {
        return endpoints;
    }

    public LocalCloudOptions options() {
        return options;
    }

    /** How long {@link #start} took to have every engine listening, then to provision the template. */
    public String startupTimes() {
        return String.format(
                        java.util.Locale.ROOT,
                        "engines %.1f s, provisioning %.1f s",
                        enginesStartSeconds,
                        provisioningSeconds)
                + (iot.isPresent()
                        ? String.format(
                                java.util.Locale.ROOT, ", IoT Core %.1f s (beside provisioning)", iotStartSeconds)
                        : "");
    }

    /** What provisioning created or reused, and which template resources have no local engine. */
    public ProvisioningReport provisioning() {
        return provisioning;
    }

    /**
     * Everything a client needs as environment variables: endpoints, region, credentials, client
     * settings, and the names the template's resources got (STREAM_NAME, DEVICE_STATE_TABLE, ...).
     */
    public Map<String, String> environment() {
        Map<String, String> environment = new LinkedHashMap<>(endpoints.clientEnvironment());
        environment.putAll(provisioning.resourceEnvironment());
        // The stream processor's KCL application is its lease table; on AWS the task definition names it, which the
        // template creates only with an image: named here so `source env` then `./pipeline processor` just works.
        String kclApplication = StackNames.kclApplication(options.stackName());
        if (!environment.containsKey("KCL_APPLICATION_NAME")
                && provisioning.provisioned().stream()
                        .anyMatch(resource -> resource.name().equals(kclApplication))) {
            environment.put("KCL_APPLICATION_NAME", kclApplication);
        }
        iot.ifPresent(core -> environment.putAll(core.environment()));
        environment.put(LiveMetrics.FOLDER_VARIABLE, liveMetricsFolder().toString());
        environment.put(
                LocalStateFolder.VARIABLE,
                options.stateDirectory().toAbsolutePath().toString());
        return environment;
    }

    /**
     * Where this local cloud's processes publish their counters for the console ({@code <state>/live-metrics}):
     * this one as {@code local-cloud.json}, the stream-processor workers and the simulator, which find the folder in
     * {@link #environment()} ({@value LiveMetrics#FOLDER_VARIABLE}), in files of their own.
     */
    public Path liveMetricsFolder() {
        return options.stateDirectory().toAbsolutePath().resolve("live-metrics");
    }

    /** Adds a section to this process's live metrics (IoT Core's counters, the event source mappings'). */
    public void addLiveMetrics(String section, Supplier<?> values) {
        liveSections.put(section, values);
    }

    private Map<String, ?> liveValues() {
        Map<String, Object> values = new LinkedHashMap<>();
        liveSections.forEach((section, supplier) -> values.put(section, supplier.get()));
        return values;
    }

    /** IoT Core when the options turned it on: its endpoint, CA file and environment. */
    public Optional<IotCore> iot() {
        return iot;
    }

    /** A new client the caller may close; the local cloud closes any still open when it stops. */
    public KinesisClient kinesis() {
        return remember(AwsClients.kinesis(endpoints));
    }

    public DynamoDbClient dynamoDb() {
        return remember(AwsClients.dynamoDb(endpoints));
    }

    public DynamoDbEnhancedClient dynamoDbEnhanced() {
        return DynamoDbEnhancedClient.builder().dynamoDbClient(dynamoDb()).build();
    }

    public S3Client s3() {
        return remember(AwsClients.s3(endpoints));
    }

    /** Where S3Proxy keeps bucket {@code bucket}: one file per object, readable without S3 (DuckDB). */
    public Path bucketFolder(String bucket) {
        return S3ProxyServer.bucketsFolder(
                        options.stateDirectory().toAbsolutePath().resolve("s3"))
                .resolve(bucket);
    }

    /** The processes this local cloud started, for tests that check nothing outlives it. */
    public List<ProcessHandle> childProcesses() {
        return children.stream().map(ChildProcess::handle).toList();
    }

    @Override
    public synchronized void close() {
        // IoT first: its rules still send to Kinesis and S3 while it stops.
        iot.ifPresent(IotCore::close);
        liveSections.clear();
        if (liveMetrics != null) {
            liveMetrics.close();
            liveMetrics = null;
        }
        iot = Optional.empty();
        for (AutoCloseable client : clients) {
            try {
                client.close();
            } catch (Exception ignored) {
                // A client that fails to close holds no engine resources worth reporting at shutdown.
            }
        }
        clients.clear();
        children.forEach(ChildProcess::close);
        pidFile.delete();
    }

    private synchronized <T extends AutoCloseable> T remember(T client) {
        clients.add(client);
        return client;
    }

    /** The clients provisioning uses, built while the engines start and closed once it is done. */
    private record ProvisioningClients(KinesisClient kinesis, DynamoDbClient dynamoDb, S3Client s3)
            implements AutoCloseable {

        static ProvisioningClients of(LocalCloudEndpoints endpoints) {
            return new ProvisioningClients(
                    AwsClients.kinesis(endpoints), AwsClients.dynamoDb(endpoints), AwsClients.s3(endpoints));
        }

        @Override
        public void close() {
            kinesis.close();
            dynamoDb.close();
            s3.close();
        }
    }

    private static <T> T join(CompletableFuture<T> starting) {
        try {
            return starting.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new EngineStartException("the local cloud failed to start: " + e.getCause(), e.getCause());
        }
    }

    private static void deleteEngineData(Path state) {
        // The IoT CA stays (devices keep their certificates); Lambda checkpoints point into the old stream.
        for (String engineFolder : List.of("kinesis", "dynamodb", "s3", "lambda")) {
            StateFolder.deleteRecursively(state.resolve(engineFolder));
        }
    }
}
