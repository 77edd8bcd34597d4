package io.github.iottelemetry.processor.kcl;

import io.github.iottelemetry.core.live.LiveMetrics;
import io.github.iottelemetry.core.validation.TelemetryValidator;
import io.github.iottelemetry.processor.metrics.CloseToDurableLag;
import io.github.iottelemetry.processor.metrics.WorkerActivity;
import io.github.iottelemetry.processor.output.OutputClients;
import io.github.iottelemetry.processor.output.WindowOutput;
import io.github.iottelemetry.processor.output.parquet.LakeAggregatesWriter;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.kinesis.common.ConfigsBuilder;
import software.amazon.kinesis.common.InitialPositionInStream;
import software.amazon.kinesis.common.InitialPositionInStreamExtended;
import software.amazon.kinesis.coordinator.Scheduler;
import software.amazon.kinesis.coordinator.WorkerStateChangeListener;
import software.amazon.kinesis.leases.LeaseManagementConfig;
import software.amazon.kinesis.metrics.MetricsLevel;
import software.amazon.kinesis.metrics.NullMetricsFactory;

/**
 * Wires a KCL 3 Scheduler to the telemetry record processor. Endpoints and region come from the AWS SDK's
 * own environment ({@code AWS_ENDPOINT_URL_KINESIS}, {@code AWS_REGION}, ...), so the same worker runs on
 * AWS and on the local cloud.
 */
public final class StreamProcessorApplication implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(StreamProcessorApplication.class.getName());
    /** Fresh schedulers a worker starts before it gives up (about 2.5 minutes of retries, 1-10 s apart). */
    private static final int MAX_SCHEDULER_STARTS = 20;

    private final ProcessorSettings settings;
    private final ExecutorService io;
    private final ExecutorService lakeIo;
    private final KinesisAsyncClient kinesis;
    private final DynamoDbAsyncClient leaseDynamo;
    private final CloudWatchAsyncClient cloudWatch;
    private final DynamoDbClient aggregatesDynamo;
    private final S3Client s3;
    private final TelemetryRecordProcessorFactory factory;
    private final CloseToDurableLag lag;
    private final WorkerActivity activity;
    private final java.util.Optional<LiveMetrics> liveMetrics;
    private volatile Scheduler scheduler;
    private volatile boolean shutdownRequested;
    private volatile Throwable initializationFailure;

    public StreamProcessorApplication(ProcessorSettings settings) {
        this.settings = settings;
        this.io = Executors.newFixedThreadPool(settings.writeThreads(), daemon("aggregates-writer"));
        this.lakeIo =
                Executors.newFixedThreadPool(OutputClients.lakeThreads(settings.writeThreads()), daemon("lake-writer"));
        // HTTP/1.1: the local engines do not speak HTTP/2 (KinesisClientUtil would force it); enhanced
        // fan-out needs HTTP/2, so it keeps the SDK default there.
        Protocol protocol = settings.retrieval() == RetrievalMode.FANOUT ? Protocol.HTTP2 : Protocol.HTTP1_1;
        this.kinesis = KinesisAsyncClient.builder()
                .httpClientBuilder(
                        NettyNioAsyncHttpClient.builder().protocol(protocol).maxConcurrency(64))
                .build();
        this.leaseDynamo = DynamoDbAsyncClient.builder()
                .httpClientBuilder(NettyNioAsyncHttpClient.builder().protocol(Protocol.HTTP1_1))
                .build();
        this.cloudWatch = CloudWatchAsyncClient.builder()
                .httpClientBuilder(NettyNioAsyncHttpClient.builder().protocol(Protocol.HTTP1_1))
                .build();
        this.aggregatesDynamo = OutputClients.dynamoDb();
        this.s3 = OutputClients.s3();

        LakeAggregatesWriter.warmUp();
        WindowOutput output = OutputClients.windowOutput(
                aggregatesDynamo,
                s3,
                settings.aggregatesTable(),
                settings.lakeBucket(),
                io,
                lakeIo,
                settings.aggregatesTimeToLive());
        // On ECS the task's log driver takes standard output to CloudWatch Logs, which turns these lines into metrics.
        this.lag = new CloseToDurableLag(
                System.getenv().getOrDefault("POWERTOOLS_METRICS_NAMESPACE", "IotTelemetry/local"),
                Duration.ofMinutes(1),
                System.out,
                line -> LOG.info(() -> "worker " + settings.workerId() + ": " + line));
        this.activity = new WorkerActivity();
        this.liveMetrics = LiveMetrics.publishIfConfigured(
                System.getenv(),
                "processor-" + settings.workerId().replaceAll("[^A-Za-z0-9._-]", "_"),
                () -> activity.snapshot(System.currentTimeMillis()));
        this.factory = new TelemetryRecordProcessorFactory(
                settings.aggregation(), new TelemetryValidator(settings.limits()), output, lag, activity);
    }

    /** With fast leases, assignment runs every 3 s; balancing live workers every 20th run is every 60 s, as by default. */
    static final int FAST_LEASES_VARIANCE_BALANCING_FREQUENCY = 20;

    /**
     * Seconds instead of minutes for a dead worker's leases to move: lease expiry, the leader's lock (the leader assigns
     * every lease in KCL 3; its lock lasts 2 min by default) and the worker metrics whose silence marks a worker dead (2
     * reports; 30 s apart by default). But not a faster rebalancing of live workers: the leader balances their load
     * every varianceBalancingFrequency-th assignment run, every 60 s with KCL's defaults (3 runs, 2 x 10 s failover
     * apart), and so here too (20 runs, 3 s apart). Off AWS that load is each lease's throughput (there is no CPU
     * metric), which a moved lease's replay inflates: balancing every 9 s moved leases back and forth every 9 s at
     * 32,000 readings/s, each move a handoff and a replay.
     */
    static void fastLeases(LeaseManagementConfig leases) {
        leases.shardSyncIntervalMillis(2_000).failoverTimeMillis(3_000);
        leases.leaseAssignmentIntervalMillis(3_000L);
        leases.dynamoDbLockBasedLeaderLeaseDurationInMillis(6_000)
                .dynamoDbLockBasedLeaderHeartbeatPeriodInMillis(2_000);
        leases.workerUtilizationAwareAssignmentConfig()
                .workerMetricsReporterFreqInMillis(2_000)
                .varianceBalancingFrequency(FAST_LEASES_VARIANCE_BALANCING_FREQUENCY);
    }

    private Scheduler buildScheduler() {
        ConfigsBuilder configs = new ConfigsBuilder(
                settings.streamName(),
                settings.applicationName(),
                kinesis,
                leaseDynamo,
                cloudWatch,
                settings.workerId(),
                factory);
        var leases = configs.leaseManagementConfig();
        if (settings.fastLeases()) {
            fastLeases(leases);
        }
        var metrics = configs.metricsConfig();
        if (!settings.cloudWatchMetrics()) {
            metrics.metricsLevel(MetricsLevel.NONE).metricsFactory(new NullMetricsFactory());
        } else {
            // SUMMARY keeps MillisBehindLatest and the per-shard processing counts without DETAILED's per-call metrics.
            metrics.metricsLevel(MetricsLevel.SUMMARY);
        }
        WorkerStateChangeListener initialization = new WorkerStateChangeListener() {
            @Override
            public void onWorkerStateChange(WorkerState newState) {}

            @Override
            public void onAllInitializationAttemptsFailed(Throwable e) {
                initializationFailure = e;
            }
        };
        InitialPositionInStream start =
                settings.fromLatest() ? InitialPositionInStream.LATEST : InitialPositionInStream.TRIM_HORIZON;
        return new Scheduler(
                configs.checkpointConfig(),
                configs.coordinatorConfig()
                        .workerStateChangeListener(initialization)
                        // one attempt per scheduler: see run()
                        .maxInitializationAttempts(1),
                leases,
                configs.lifecycleConfig(),
                metrics,
                // empty polls still reach the processor, so idle windows close on time
                configs.processorConfig().callProcessRecordsEvenForEmptyRecordList(true),
                configs.retrievalConfig()
                        .initialPositionInStreamExtended(InitialPositionInStreamExtended.newInitialPosition(start))
                        .retrievalSpecificConfig(settings.retrieval()
                                .config(
                                        settings.streamName(),
                                        settings.applicationName(),
                                        kinesis,
                                        settings.pollInterval())));
    }

    /**
     * Runs a scheduler on this thread until it stops; a JVM shutdown (SIGTERM) shuts it down gracefully. A scheduler
     * gets one initialization attempt, and a failed one is replaced by a fresh scheduler (up to
     * {@value #MAX_SCHEDULER_STARTS}, 1-10 s apart). KCL's own retry within a scheduler is not safe: its 3.x
     * components (worker metrics reporting, the lease assignment manager) start once, after the lease table's
     * LeaseOwnerToLeaseKeyIndex is in place; when that step fails (two workers starting together both create the
     * index, and DynamoDB refuses the second), the next attempt finds the migration state initialized and skips
     * them, so the worker runs but never reports its metrics: the leader never assigns it a lease, and if it
     * becomes the leader, no lease is assigned at all. Races on the coordinator state fail the same way.
     */
    public void run() {
        Runtime.getRuntime().addShutdownHook(new Thread(this::shutdownGracefully, "graceful-shutdown"));
        LOG.info(() ->
                "worker " + settings.workerId() + ": processing stream " + settings.streamName() + " as application "
                        + settings.applicationName() + " (" + settings.retrieval() + ", resolutions "
                        + settings.aggregation().resolutions() + ")");
        for (int attempt = 1; ; attempt++) {
            initializationFailure = null;
            scheduler = buildScheduler();
            if (shutdownRequested) {
                return;
            }
            scheduler.run();
            Throwable failure = initializationFailure;
            if (failure == null || shutdownRequested) {
                return;
            }
            if (attempt == MAX_SCHEDULER_STARTS) {
                throw new IllegalStateException(
                        "worker " + settings.workerId() + ": KCL could not initialize in " + MAX_SCHEDULER_STARTS
                                + " schedulers: " + failure,
                        failure);
            }
            int next = attempt + 1;
            LOG.warning(() -> "worker " + settings.workerId() + ": KCL initialization failed (" + failure
                    + "); starting scheduler " + next + " of " + MAX_SCHEDULER_STARTS);
            sleep(Duration.ofSeconds(Math.min(attempt, 10)));
        }
    }

    /** Asks every record processor to write its open windows and checkpoint, waiting up to 50 s (ECS gives 60). */
    public void shutdownGracefully() {
        shutdownRequested = true;
        Scheduler current = scheduler;
        if (current == null) {
            return;
        }
        try {
            current.startGracefulShutdown().get(50, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warning(() -> "worker " + settings.workerId() + ": graceful shutdown did not finish: " + e);
        }
        lag.flush(System.currentTimeMillis());
        liveMetrics.ifPresent(LiveMetrics::close);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to restart the KCL scheduler", e);
        }
    }

    @Override
    public void close() {
        liveMetrics.ifPresent(LiveMetrics::close);
        io.shutdown();
        lakeIo.shutdown();
        kinesis.close();
        leaseDynamo.close();
        cloudWatch.close();
        aggregatesDynamo.close();
        s3.close();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
