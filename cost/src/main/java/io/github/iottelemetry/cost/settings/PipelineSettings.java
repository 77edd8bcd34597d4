package io.github.iottelemetry.cost.settings;

import io.github.iottelemetry.core.window.Resolution;
import java.util.List;
import java.util.Optional;

/**
 * The settings of the deployed pipeline that decide its bill, as the template resolves them for one set of
 * parameter values. Built by {@link TemplateSettingsReader}; the model never reads the template itself.
 *
 * @param templateSource the template file, for messages and the report
 * @param kinesisOnDemand true when the stream's mode is ON_DEMAND
 * @param provisionedShards the stream's ShardCount in provisioned mode, 0 on demand
 * @param streamRetentionHours the stream's RetentionPeriodHours
 * @param kinesisConsumers shared-throughput consumers reading the whole stream (event source mappings plus the
 *     stream-processor service)
 * @param useBasicIngest devices publish to the rule's Basic Ingest topic, which IoT Core does not bill as messaging
 * @param rulesPerMessage topic rules one telemetry message triggers
 * @param ruleActionsPerMessage actions those rules execute per message
 * @param cloudWatchMetricActionsPerMessage of those, CloudWatch metric actions (one PutMetricData each)
 * @param cloudWatchLogsActionsPerMessage of those, CloudWatch Logs actions (the message is ingested as a log event)
 * @param lambdaMemoryMb the ingest function's MemorySize
 * @param lambdaArchitecture arm64 or x86_64
 * @param batchSize the Kinesis event source's BatchSize
 * @param maxBatchingWindowSeconds its MaximumBatchingWindowInSeconds
 * @param parallelizationFactor its ParallelizationFactor
 * @param resolutions the aggregation resolutions
 * @param allowedLatenessSeconds how long a window stays open after its end
 * @param processorTasks the stream-processor service's DesiredCount
 * @param processorVcpu vCPUs per task
 * @param processorMemoryGb memory per task in GB
 * @param processorArchitecture ARM64 or X86_64
 * @param dataRetentionDays how long the lake and the aggregates table keep data
 * @param lakeLifecycle the lake bucket's enabled lifecycle rules
 * @param alarms CloudWatch alarms the stack creates
 * @param dashboards CloudWatch dashboards the stack creates
 * @param logRetentionDays the shortest RetentionInDays among the stack's log groups, if it declares any
 * @param notes what the reader noticed that the estimate should say (for example a provisioned-capacity table)
 */
public record PipelineSettings(
    String templateSource,
    boolean kinesisOnDemand,
    int provisionedShards,
    int streamRetentionHours,
    int kinesisConsumers,
    boolean useBasicIngest,
    int rulesPerMessage,
    int ruleActionsPerMessage,
    int cloudWatchMetricActionsPerMessage,
    int cloudWatchLogsActionsPerMessage,
    int lambdaMemoryMb,
    String lambdaArchitecture,
    int batchSize,
    int maxBatchingWindowSeconds,
    int parallelizationFactor,
    List<Resolution> resolutions,
    int allowedLatenessSeconds,
    int processorTasks,
    double processorVcpu,
    double processorMemoryGb,
    String processorArchitecture,
    int dataRetentionDays,
    List<LifecycleRule> lakeLifecycle,
    int alarms,
    int dashboards,
    Optional<Integer> logRetentionDays,
    List<String> notes) {

  public PipelineSettings {
    resolutions = List.copyOf(resolutions);
    lakeLifecycle = List.copyOf(lakeLifecycle);
    notes = List.copyOf(notes);
  }

  /** The same pipeline built the naive way: no Basic Ingest and a CloudWatch metric action on every message. */
  public PipelineSettings naive() {
    return new PipelineSettings(templateSource, kinesisOnDemand, provisionedShards, streamRetentionHours, kinesisConsumers,
        false, rulesPerMessage, ruleActionsPerMessage + (cloudWatchMetricActionsPerMessage == 0 ? 1 : 0),
        Math.max(1, cloudWatchMetricActionsPerMessage), cloudWatchLogsActionsPerMessage, lambdaMemoryMb,
        lambdaArchitecture, batchSize, maxBatchingWindowSeconds, parallelizationFactor, resolutions,
        allowedLatenessSeconds, processorTasks, processorVcpu, processorMemoryGb, processorArchitecture,
        dataRetentionDays, lakeLifecycle, alarms, dashboards, logRetentionDays, notes);
  }
}
