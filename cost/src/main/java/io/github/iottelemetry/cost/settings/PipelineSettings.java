package io.github.iottelemetry.cost.settings;

import io.github.iottelemetry.core.window.Resolution;
import java.util.List;
import java.util.Optional;

/**
 * The settings of the deployed pipeline that decide its bill, as the template resolves them for one set of
 * parameter values, grouped by the part of the stack they belong to. Built by {@link TemplateSettingsReader}; the
 * model never reads the template itself.
 *
 * @param templateSource the template file, for messages and the report
 * @param stream the Kinesis stream
 * @param rules the IoT topic rules a telemetry message triggers
 * @param ingest the ingest function and its Kinesis event source
 * @param aggregation the stream processor's windows and how long DynamoDB keeps them
 * @param processor the stream processor's ECS service, if the stack deploys it
 * @param tables point-in-time recovery of the DynamoDB tables
 * @param lake the data-lake bucket and the Athena results bucket
 * @param observability alarms, dashboards, logs, keys and the image repository
 * @param notes what the reader noticed that the estimate should say (for example a provisioned-capacity table)
 */
public record PipelineSettings(
        String templateSource,
        Stream stream,
        Rules rules,
        Ingest ingest,
        Aggregation aggregation,
        Processor processor,
        Tables tables,
        Lake lake,
        Observability observability,
        List<String> notes) {

    public PipelineSettings {
        notes = List.copyOf(notes);
    }

    /**
     * @param onDemand true when the stream's mode is ON_DEMAND
     * @param provisionedShards ShardCount in provisioned mode, 0 on demand
     * @param retentionHours RetentionPeriodHours
     * @param consumers shared-throughput consumers reading the whole stream (event source mappings plus the
     *     stream-processor service)
     */
    public record Stream(boolean onDemand, int provisionedShards, int retentionHours, int consumers) {}

    /**
     * @param useBasicIngest devices publish to the rule's Basic Ingest topic, which IoT Core does not bill as messaging
     * @param rulesPerMessage topic rules one telemetry message triggers
     * @param actionsPerMessage actions those rules execute per message
     * @param cloudWatchMetricActionsPerMessage of those, CloudWatch metric actions (one PutMetricData each)
     * @param cloudWatchLogsActionsPerMessage of those, CloudWatch Logs actions (the message is ingested as a log event)
     */
    public record Rules(
            boolean useBasicIngest,
            int rulesPerMessage,
            int actionsPerMessage,
            int cloudWatchMetricActionsPerMessage,
            int cloudWatchLogsActionsPerMessage) {}

    /**
     * @param memoryMb MemorySize
     * @param architecture arm64 or x86_64
     * @param batchSize the Kinesis event source's BatchSize
     * @param batchingWindowSeconds its MaximumBatchingWindowInSeconds
     * @param parallelizationFactor its ParallelizationFactor
     * @param tracing X-Ray tracing is Active
     * @param deviceStateIntervalSeconds a device's state is written at most once per this much of its own time
     *     (DEVICE_STATE_INTERVAL_SECONDS); 0 writes every message's state
     */
    public record Ingest(
            int memoryMb,
            String architecture,
            int batchSize,
            int batchingWindowSeconds,
            int parallelizationFactor,
            boolean tracing,
            int deviceStateIntervalSeconds) {}

    /**
     * @param resolutions the aggregation resolutions
     * @param allowedLatenessSeconds how long a window stays open after its end
     * @param maxOpenSeconds open windows are written as partial aggregates at least this often (MAX_OPEN_SECONDS)
     * @param shortWindowTtlDays how long DynamoDB keeps windows shorter than an hour
     * @param ttlDays how long DynamoDB keeps windows of an hour or longer
     */
    public record Aggregation(
            List<Resolution> resolutions,
            int allowedLatenessSeconds,
            int maxOpenSeconds,
            int shortWindowTtlDays,
            int ttlDays) {
        public Aggregation {
            resolutions = List.copyOf(resolutions);
        }

        /** Days DynamoDB keeps windows of {@code resolution}. */
        public int ttlDays(Resolution resolution) {
            return resolution.millis() < 3_600_000L ? shortWindowTtlDays : ttlDays;
        }
    }

    /**
     * @param deployed the stack runs the stream-processor service (StreamProcessorImage is set)
     * @param minTasks tasks the service always runs (the scalable target's MinCapacity, else DesiredCount)
     * @param maxTasks tasks autoscaling may run
     * @param vcpu vCPUs per task
     * @param memoryGb memory per task in GB
     * @param architecture ARM64 or X86_64
     * @param publicIp each task gets a public IPv4 address
     * @param kclCloudWatchMetrics KCL publishes its own CloudWatch metrics
     */
    public record Processor(
            boolean deployed,
            int minTasks,
            int maxTasks,
            double vcpu,
            double memoryGb,
            String architecture,
            boolean publicIp,
            boolean kclCloudWatchMetrics) {

        public static Processor none() {
            return new Processor(false, 0, 0, 0, 0, "ARM64", false, false);
        }
    }

    /**
     * @param deviceStatePitr point-in-time recovery on the device-state table
     * @param aggregatesPitr point-in-time recovery on the aggregates table
     * @param leaseTablePitr point-in-time recovery on KCL's lease table
     */
    public record Tables(boolean deviceStatePitr, boolean aggregatesPitr, boolean leaseTablePitr) {}

    /**
     * @param dataRetentionDays DataRetentionDays: when lake objects without their own expiration are counted out
     * @param lifecycle the lake bucket's enabled lifecycle rules
     * @param versioned the lake bucket keeps noncurrent versions
     * @param noncurrentDays days a noncurrent version is kept
     * @param resultsExpirationDays days the Athena results bucket keeps a query's results
     */
    public record Lake(
            int dataRetentionDays,
            List<LifecycleRule> lifecycle,
            boolean versioned,
            int noncurrentDays,
            int resultsExpirationDays) {
        public Lake {
            lifecycle = List.copyOf(lifecycle);
        }
    }

    /**
     * @param alarms CloudWatch alarms the stack creates
     * @param dashboards CloudWatch dashboards the stack creates
     * @param logRetentionDays the shortest RetentionInDays among the stack's log groups, if it declares any
     * @param customerManagedKeys KMS keys the stack creates
     * @param imagesKept container images the repository's lifecycle policy keeps
     */
    public record Observability(
            int alarms, int dashboards, Optional<Integer> logRetentionDays, int customerManagedKeys, int imagesKept) {}

    /** The same pipeline built the naive way: no Basic Ingest, a CloudWatch metric action on every message, state per message. */
    public PipelineSettings naive() {
        Rules naiveRules = new Rules(
                false,
                rules.rulesPerMessage(),
                rules.actionsPerMessage() + (rules.cloudWatchMetricActionsPerMessage() == 0 ? 1 : 0),
                Math.max(1, rules.cloudWatchMetricActionsPerMessage()),
                rules.cloudWatchLogsActionsPerMessage());
        Ingest naiveIngest = new Ingest(
                ingest.memoryMb(),
                ingest.architecture(),
                ingest.batchSize(),
                ingest.batchingWindowSeconds(),
                ingest.parallelizationFactor(),
                ingest.tracing(),
                0);
        return new PipelineSettings(
                templateSource,
                stream,
                naiveRules,
                naiveIngest,
                aggregation,
                processor,
                tables,
                lake,
                observability,
                notes);
    }
}
