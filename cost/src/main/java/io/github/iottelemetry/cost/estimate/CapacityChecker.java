package io.github.iottelemetry.cost.estimate;

import io.github.iottelemetry.cost.fleet.FleetWorkload;
import io.github.iottelemetry.cost.fleet.MessageSizer;
import io.github.iottelemetry.cost.price.ServiceQuotas;
import io.github.iottelemetry.cost.price.ServiceQuotas.Quota;
import io.github.iottelemetry.cost.settings.PipelineSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Compares the fleet's rates and the template's settings with AWS limits from quotas.csv and says which would be
 * hit: account and per-connection publish rates, message size, Kinesis shards, Lambda concurrency and batch
 * payload, KCL workers per shard, stream-processor memory for open windows, DynamoDB table throughput.
 */
public final class CapacityChecker {

  private final ServiceQuotas quotas;
  private final String region;
  private final CostModel model;
  private final ModelAssumptions assumptions;

  public CapacityChecker(ServiceQuotas quotas, String region, CostModel model, ModelAssumptions assumptions) {
    this.quotas = quotas;
    this.region = region;
    this.model = model;
    this.assumptions = assumptions;
  }

  public List<CapacityCheck> check(FleetWorkload fleet, PipelineSettings settings, CostEstimate estimate) {
    List<CapacityCheck> checks = new ArrayList<>();
    Quota accountPublishes = quotas.get(region, "iot-core", "publishes-per-second-per-account");
    checks.add(atMost("IoT Core publishes per second (account)", fleet.messagesPerSecond(), accountPublishes,
        "msg/s against the default account quota in " + region,
        "request a quota increase or batch more readings per message (--batch)"));
    checks.add(atMost("IoT Core publishes per second per connection", fleet.messagesPerSecondPerDevice(),
        quotas.get(region, "iot-core", "publishes-per-second-per-connection"), "msg/s per device connection",
        "a device cannot publish faster; batch readings"));
    checks.add(atMost("MQTT message size (bytes)", MessageSizer.payloadBytes(fleet), quotas.get(region, "iot-core", "message-bytes"),
        "bytes per message", "send fewer readings per message"));

    int needed = CostModel.shardsNeeded(fleet);
    Quota shardBytes = quotas.get(region, "kinesis", "shard-write-bytes-per-second");
    double bytesPerSecond = fleet.messagesPerSecond() * CostModel.roundUp(MessageSizer.kinesisRecordBytes(fleet), CostModel.KIB);
    if (settings.kinesisOnDemand()) {
      Quota initial = quotas.get(region, "kinesis", "on-demand-initial-write-bytes-per-second");
      checks.add(atMost("Kinesis on-demand write rate at creation (bytes/s)", bytesPerSecond, initial,
          "B/s written against a new on-demand stream's 4 MB/s (" + needed + " shards' worth needed)",
          "a new stream doubles its previous peak within minutes: ramp traffic up or switch to provisioned with ShardCount >= "
              + needed + " for the launch"));
      Quota max = quotas.get(region, "kinesis", "on-demand-max-write-bytes-per-second");
      checks.add(atMost("Kinesis on-demand maximum write rate (bytes/s)", bytesPerSecond, max,
          "B/s against the on-demand ceiling in " + region, "split the fleet across streams"));
    } else {
      checks.add(new CapacityCheck("Kinesis shards (provisioned)", needed, settings.provisionedShards(),
          settings.provisionedShards() >= needed,
          String.format(Locale.ROOT, "%d shards needed (1 MB/s and 1,000 records/s each) for %,.0f records/s and %,.0f B/s; ShardCount is %d%s",
              needed, fleet.messagesPerSecond(), bytesPerSecond, settings.provisionedShards(),
              settings.provisionedShards() >= needed ? "" : ": writes will be throttled, set ShardCount >= " + needed),
          shardBytes.sourceUrl()));
    }

    int batchStreams = estimate.kinesisShards() * settings.parallelizationFactor();
    Quota concurrency = quotas.get(region, "lambda", "concurrent-executions-per-account");
    checks.add(atMost("Lambda concurrency (shards x ParallelizationFactor)", batchStreams, concurrency,
        "concurrent ingest batches at most (" + estimate.kinesisShards() + " shards x " + settings.parallelizationFactor() + ")",
        "request more account concurrency or lower ParallelizationFactor"));
    Quota parallelMax = quotas.get(region, "lambda", "parallelization-factor-max");
    checks.add(atMost("Lambda ParallelizationFactor", settings.parallelizationFactor(), parallelMax, "concurrent batches per shard",
        "ParallelizationFactor is at most 10"));
    double busy = estimate.lambdaInvocationsPerSecond() * (assumptions.lambdaMillisPerInvocation()
        + assumptions.lambdaMillisPerRecord() * estimate.recordsPerInvocation()) / 1000;
    checks.add(new CapacityCheck("Lambda keeps up with the stream", busy, batchStreams, busy <= batchStreams,
        String.format(Locale.ROOT, "%.1f batches busy on average of %d possible%s", busy, batchStreams,
            busy <= batchStreams ? "" : ": iterator age will grow; raise ParallelizationFactor or BatchSize"),
        concurrency.sourceUrl()));
    Quota payload = quotas.get(region, "lambda", "invocation-payload-bytes");
    double batchBytes = Math.min(settings.batchSize(), Math.max(1, estimate.recordsPerInvocation()))
        * MessageSizer.kinesisRecordBytes(fleet) * 4.0 / 3.0;
    checks.add(atMost("Lambda batch payload (bytes, base64)", batchBytes, payload, "bytes per invocation",
        "Lambda cuts the batch at 6 MB; lower BatchSize"));

    double idleWorkers = settings.processorTasks() - estimate.kinesisShards();
    checks.add(new CapacityCheck("KCL workers per shard", settings.processorTasks(), estimate.kinesisShards(),
        idleWorkers <= 0,
        settings.processorTasks() + " stream-processor tasks for " + estimate.kinesisShards() + " shards"
            + (idleWorkers <= 0 ? " (a KCL worker leases one or more shards)"
            : ": " + (int) idleWorkers + " tasks would hold no lease; lower StreamProcessorDesiredCount"),
        "https://docs.aws.amazon.com/streams/latest/dev/kcl-concepts.html"));
    double openWindows = 0;
    for (var resolution : settings.resolutions()) {
      double resolutionSeconds = resolution.millis() / 1000.0;
      openWindows += Math.ceil((resolutionSeconds + settings.allowedLatenessSeconds()) / resolutionSeconds);
    }
    double windowBytesPerTask = fleet.devices() * (double) fleet.metricsPerReading() * openWindows
        * assumptions.openWindowBytesPerMetric() / Math.max(1, settings.processorTasks());
    double heapBytes = settings.processorMemoryGb() * CostModel.GIB * assumptions.processorHeapShareOfMemory();
    checks.add(new CapacityCheck("stream-processor memory for open windows (bytes per task)", windowBytesPerTask, heapBytes,
        windowBytesPerTask <= heapBytes,
        String.format(Locale.ROOT, "%,.0f MB of open windows per task (AllowedLatenessSeconds %d keeps %.0f windows open per"
            + " device and metric) against %,.0f MB%s", windowBytesPerTask / 1048576, settings.allowedLatenessSeconds(),
            openWindows, heapBytes / 1048576, windowBytesPerTask <= heapBytes ? "" : ": add tasks or memory"),
        "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html"));

    Quota tableWrites = quotas.get(region, "dynamodb", "on-demand-table-write-units-per-second");
    double aggregateWritesPerSecond = 0;
    for (var resolution : settings.resolutions()) {
      aggregateWritesPerSecond += fleet.devices() / (resolution.millis() / 1000.0)
          * Math.ceil(model.aggregateItemBytes(fleet) / CostModel.KIB);
    }
    checks.add(atMost("DynamoDB aggregates table writes (WRU/s)", aggregateWritesPerSecond, tableWrites,
        "write units per second on average (window closes bunch up: peaks are higher)", "request a table quota increase"));
    return checks;
  }

  private static CapacityCheck atMost(String name, double value, Quota quota, String what, String remedy) {
    boolean ok = value <= quota.value();
    return new CapacityCheck(name, value, quota.value(), ok,
        String.format(Locale.ROOT, "%,.2f %s, limit %,.0f%s", value, what, quota.value(), ok ? "" : ": " + remedy),
        quota.sourceUrl());
  }
}
