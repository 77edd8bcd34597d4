package io.github.iottelemetry.processor.cli;

import io.github.iottelemetry.core.validation.ValidationLimits;
import io.github.iottelemetry.processor.kcl.ProcessorSettings;
import io.github.iottelemetry.processor.kcl.RetrievalMode;
import io.github.iottelemetry.processor.kcl.StreamProcessorApplication;
import io.github.iottelemetry.processor.window.AggregationSettings;
import java.net.InetAddress;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code stream-processor}: one KCL worker; start several to share the shards. Flags default to the task's environment. */
@Command(
        name = "stream-processor",
        mixinStandardHelpOptions = true,
        subcommands = ReplayCommand.class,
        description =
                "Aggregates telemetry from Kinesis into event-time windows, exactly once, in DynamoDB and the Parquet lake.")
public final class StreamProcessorCommand implements Callable<Integer> {
    private static final String LOG_FORMAT_PROPERTY = "java.util.logging.SimpleFormatter.format";

    @Spec
    CommandSpec spec;

    @Option(names = "--stream", defaultValue = "${env:STREAM_NAME}", description = "Kinesis stream (env STREAM_NAME).")
    String stream;

    @Option(
            names = "--application-name",
            defaultValue = "${env:KCL_APPLICATION_NAME}",
            description = "KCL application: the lease table's name (env KCL_APPLICATION_NAME).")
    String applicationName;

    @Mixin
    AggregatesOptions aggregates;

    @Option(names = "--worker-id", description = "Default: host name plus a random suffix.")
    String workerId;

    @Option(
            names = "--retrieval",
            defaultValue = "${env:KCL_RETRIEVAL_MODE:-POLLING}",
            description = "POLLING (works locally) or FANOUT (enhanced fan-out, AWS only); env KCL_RETRIEVAL_MODE.")
    RetrievalMode retrieval;

    @Option(
            names = "--poll-interval-ms",
            defaultValue = "${env:KCL_POLL_INTERVAL_MS:-1000}",
            description = "Pause between GetRecords calls when polling (default ${DEFAULT-VALUE}).")
    long pollIntervalMillis;

    @Option(
            names = "--cloudwatch-metrics",
            defaultValue = "${env:KCL_CLOUDWATCH_METRICS:-false}",
            description = "Publish KCL's metrics to CloudWatch (off locally).")
    boolean cloudWatchMetrics;

    @Option(names = "--from-latest", description = "Start new leases at LATEST instead of TRIM_HORIZON.")
    boolean fromLatest;

    @Option(
            names = "--fast-leases",
            defaultValue = "${env:KCL_FAST_LEASES:-false}",
            description = "Short lease failover and sync intervals (tests and local runs).")
    boolean fastLeases;

    @Override
    public Integer call() throws Exception {
        require(stream, "--stream or STREAM_NAME");
        require(applicationName, "--application-name or KCL_APPLICATION_NAME");
        require(aggregates.aggregatesTable, "--aggregates-table or AGGREGATES_TABLE");
        require(aggregates.lakeBucket, "--lake-bucket or LAKE_BUCKET");
        ValidationLimits limits = ValidationLimits.fromEnvironment(System.getenv());
        AggregationSettings aggregation = aggregates.aggregation(limits);
        String worker = workerId != null
                ? workerId
                : InetAddress.getLocalHost().getHostName() + "-"
                        + UUID.randomUUID().toString().substring(0, 8);
        ProcessorSettings settings = new ProcessorSettings(
                stream,
                applicationName,
                aggregates.aggregatesTable,
                aggregates.lakeBucket,
                worker,
                aggregation,
                limits,
                retrieval,
                Duration.ofMillis(pollIntervalMillis),
                cloudWatchMetrics,
                fromLatest,
                fastLeases,
                aggregates.timeToLive(),
                aggregates.writeThreads);
        try (StreamProcessorApplication app = new StreamProcessorApplication(settings)) {
            app.run();
        }
        return 0;
    }

    private void require(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "missing " + what);
        }
    }

    public static void main(String[] args) {
        // One line per log record (KCL's too, through slf4j-jdk14): JSON, or with LOG_FORMAT=text this plain format.
        if (System.getProperty(LOG_FORMAT_PROPERTY) == null) {
            System.setProperty(LOG_FORMAT_PROPERTY, "%1$tFT%1$tT.%1$tL%1$tz %4$s [%3$s] %5$s%6$s%n");
        }
        JsonLogFormatter.install(System.getenv().getOrDefault("POWERTOOLS_SERVICE_NAME", "stream-processor"));
        System.exit(new CommandLine(new StreamProcessorCommand())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .execute(args));
    }
}
