package io.github.iottelemetry.cost.estimate;

import io.github.iottelemetry.core.window.Resolution;
import io.github.iottelemetry.cost.CostInputException;
import io.github.iottelemetry.cost.fleet.FleetWorkload;
import io.github.iottelemetry.cost.fleet.MessageSizer;
import io.github.iottelemetry.cost.price.Price;
import io.github.iottelemetry.cost.price.PriceTable.RegionPrices;
import io.github.iottelemetry.cost.settings.LifecycleRule;
import io.github.iottelemetry.cost.settings.PipelineSettings;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Prices a month of the pipeline for a fleet. Every quantity follows from the fleet, the template's settings and
 * the stated {@link ModelAssumptions}; every price comes from the price table. The design prices the pipeline
 * as the template builds it; the naive design is the same pipeline with one reading per message, no Basic
 * Ingest, a CloudWatch metric action per message and one DynamoDB write per reading.
 */
public final class CostModel {

  public static final String DESIGN = "design";
  public static final String NAIVE = "naive";

  static final double KIB = 1024;
  static final double GIB = KIB * KIB * KIB;
  static final double TIB = GIB * KIB;
  private static final double IOT_METERING_BYTES = 5 * KIB;
  private static final double KINESIS_PUT_PAYLOAD_UNIT_BYTES = 25 * KIB;
  private static final double SHARD_WRITE_BYTES_PER_SECOND = KIB * KIB;
  private static final double SHARD_WRITE_RECORDS_PER_SECOND = 1000;
  private static final int MIN_ON_DEMAND_SHARDS = 4;
  private static final double ATHENA_MIN_BYTES_PER_QUERY = 10 * KIB * KIB;
  private static final double DAYS_PER_MONTH_OF_LOGS = 30.4;

  private final RegionPrices prices;
  private final ModelAssumptions assumptions;

  public CostModel(RegionPrices prices, ModelAssumptions assumptions) {
    this.prices = prices;
    this.assumptions = assumptions;
  }

  /** The pipeline as the template builds it. */
  public CostEstimate design(FleetWorkload fleet, PipelineSettings settings) {
    return estimate(DESIGN, fleet, settings, false);
  }

  /** One reading per message, no Basic Ingest, a CloudWatch metric action per message, a DynamoDB write per reading. */
  public CostEstimate naive(FleetWorkload fleet, PipelineSettings settings) {
    return estimate(NAIVE, fleet.unbatched(), settings.naive(), true);
  }

  /** Kinesis shards the write rate needs: 1 MiB/s and 1,000 records/s per shard. */
  public static int shardsNeeded(FleetWorkload fleet) {
    double bytesPerSecond = fleet.messagesPerSecond() * roundUp(MessageSizer.kinesisRecordBytes(fleet), KIB);
    return (int) Math.max(1, Math.ceil(Math.max(bytesPerSecond / SHARD_WRITE_BYTES_PER_SECOND,
        fleet.messagesPerSecond() / SHARD_WRITE_RECORDS_PER_SECOND)));
  }

  /** The shards the stream has: ShardCount when provisioned; on demand, the headroom over what the rate needs. */
  public int shards(FleetWorkload fleet, PipelineSettings settings) {
    if (!settings.kinesisOnDemand()) {
      return settings.provisionedShards();
    }
    return (int) Math.max(MIN_ON_DEMAND_SHARDS, Math.ceil(shardsNeeded(fleet) * assumptions.onDemandShardHeadroom()));
  }

  private CostEstimate estimate(String design, FleetWorkload fleet, PipelineSettings settings, boolean writePerReading) {
    Month month = new Month(fleet, settings, assumptions);
    List<LineItem> items = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    int shards = shards(fleet, settings);
    LambdaBatches batches = lambdaBatches(fleet, settings, shards);

    iotCore(items, month, settings);
    kinesis(items, notes, month, settings, shards);
    lambda(items, month, settings, batches);
    dynamoDb(items, month, fleet, settings, shards, batches, writePerReading);
    S3Volumes lake = s3(items, notes, month, fleet, settings, shards, batches);
    athena(items, month, fleet, settings, lake);
    cloudWatch(items, month, settings, batches);
    fargate(items, month, settings);
    return new CostEstimate(design, items, month.readings, month.messages, shards, batches.invocationsPerSecond,
        batches.recordsPerInvocation, notes);
  }

  /** Monthly volumes shared by the services. */
  private record Month(long devices, double seconds, double hours, double messages, double readings, int mqttBytes,
      int recordBytes, int payloadBytes) {
    Month(FleetWorkload fleet, PipelineSettings settings, ModelAssumptions assumptions) {
      this(fleet.devices(), assumptions.hoursPerMonth() * 3600, assumptions.hoursPerMonth(),
          fleet.messagesPerSecond() * assumptions.hoursPerMonth() * 3600,
          fleet.readingsPerSecond() * assumptions.hoursPerMonth() * 3600,
          MessageSizer.mqttBytes(fleet), MessageSizer.kinesisRecordBytes(fleet), MessageSizer.payloadBytes(fleet));
    }
  }

  // ---- IoT Core -----------------------------------------------------------------------------------

  private void iotCore(List<LineItem> items, Month month, PipelineSettings settings) {
    items.add(line("IoT Core", "connection minutes", month.hours * 60 * month.devices / 1e6,
        price("iot-core", "connection-minutes-million")));
    double meteredMessages = month.messages * Math.ceil(month.mqttBytes / IOT_METERING_BYTES);
    items.add(line("IoT Core", settings.useBasicIngest()
            ? "messaging: Basic Ingest topic, not billed" : "messaging (5 KB units)",
        settings.useBasicIngest() ? 0 : meteredMessages / 1e6, price("iot-core", "messages-million")));
    double ruleUnits = Math.ceil(month.payloadBytes / IOT_METERING_BYTES);
    items.add(line("IoT Core", "rules triggered (" + settings.rulesPerMessage() + " per message)",
        month.messages * settings.rulesPerMessage() * ruleUnits / 1e6, price("iot-core", "rules-triggered-million")));
    items.add(line("IoT Core", "rule actions executed (" + settings.ruleActionsPerMessage() + " per message)",
        month.messages * settings.ruleActionsPerMessage() * ruleUnits / 1e6, price("iot-core", "actions-executed-million")));
  }

  // ---- Kinesis ------------------------------------------------------------------------------------

  private void kinesis(List<LineItem> items, List<String> notes, Month month, PipelineSettings settings, int shards) {
    List<LineItem> onDemand = new ArrayList<>();
    double gibIn = month.messages * roundUp(month.recordBytes, KIB) / GIB;
    onDemand.add(line("Kinesis", "on-demand stream hours", month.hours, price("kinesis", "on-demand-stream-hours")));
    onDemand.add(line("Kinesis", "on-demand data in (records rounded up to 1 KB)", gibIn, price("kinesis", "on-demand-gb-in")));
    onDemand.add(line("Kinesis", "on-demand data out (" + settings.kinesisConsumers() + " consumers)",
        gibIn * settings.kinesisConsumers(), price("kinesis", "on-demand-gb-out")));
    int extendedHours = Math.max(0, Math.min(settings.streamRetentionHours(), 168) - 24);
    if (extendedHours > 0) {
      onDemand.add(line("Kinesis", "on-demand extended retention (" + settings.streamRetentionHours() + " h)",
          gibIn / month.hours * extendedHours, price("kinesis", "on-demand-extended-retention-gb-month")));
    }
    List<LineItem> provisioned = new ArrayList<>();
    int provisionedShards = settings.kinesisOnDemand() ? Math.max(1, (int) Math.ceil(shards / assumptions.onDemandShardHeadroom())) : shards;
    provisioned.add(line("Kinesis", "shard hours (" + provisionedShards + " shards)", provisionedShards * month.hours,
        price("kinesis", "shard-hours")));
    provisioned.add(line("Kinesis", "PUT payload units (25 KB)",
        month.messages * Math.ceil(month.recordBytes / KINESIS_PUT_PAYLOAD_UNIT_BYTES) / 1e6,
        price("kinesis", "put-payload-units-million")));
    if (extendedHours > 0) {
      provisioned.add(line("Kinesis", "extended retention (" + settings.streamRetentionHours() + " h)",
          provisionedShards * month.hours, price("kinesis", "extended-retention-shard-hours")));
    }
    if (settings.streamRetentionHours() > 168) {
      notes.add("stream retention " + settings.streamRetentionHours() + " h: long-term retention beyond 7 days is not priced");
    }
    List<LineItem> chosen = settings.kinesisOnDemand() ? onDemand : provisioned;
    List<LineItem> other = settings.kinesisOnDemand() ? provisioned : onDemand;
    items.addAll(chosen);
    notes.add(String.format(Locale.ROOT, "Kinesis %s as the template sets it: $%,.2f a month; %s would be $%,.2f",
        settings.kinesisOnDemand() ? "on-demand" : "provisioned (" + shards + " shards)", sum(chosen),
        settings.kinesisOnDemand() ? "provisioned with " + provisionedShards + " shards (ShardCount=" + provisionedShards + ")"
            : "on-demand (ShardCount=0)", sum(other)));
  }

  // ---- Lambda -------------------------------------------------------------------------------------

  /** How the event source mapping turns the stream into invocations. */
  record LambdaBatches(double invocationsPerSecond, double recordsPerInvocation, double millisPerInvocation,
      int concurrentBatchesAvailable, double devicesPerBatchStream) {}

  LambdaBatches lambdaBatches(FleetWorkload fleet, PipelineSettings settings, int shards) {
    int batchStreams = shards * settings.parallelizationFactor();
    double recordsPerBatchStream = fleet.messagesPerSecond() / batchStreams;
    double flushesPerSecond = settings.maxBatchingWindowSeconds() > 0 ? 1.0 / settings.maxBatchingWindowSeconds() : 1.0;
    // A batch goes out when it is full or when the window (else the one-second poll) ends, whichever is first,
    // and never holds less than one record.
    double perBatchStream = Math.max(recordsPerBatchStream / settings.batchSize(), Math.min(recordsPerBatchStream, flushesPerSecond));
    double invocationsPerSecond = perBatchStream * batchStreams;
    double recordsPerInvocation = fleet.messagesPerSecond() / invocationsPerSecond;
    double millis = assumptions.lambdaMillisPerInvocation() + assumptions.lambdaMillisPerRecord() * recordsPerInvocation;
    return new LambdaBatches(invocationsPerSecond, recordsPerInvocation, millis, batchStreams,
        (double) fleet.devices() / batchStreams);
  }

  private void lambda(List<LineItem> items, Month month, PipelineSettings settings, LambdaBatches batches) {
    double invocations = batches.invocationsPerSecond * month.seconds;
    items.add(line("Lambda", "ingest requests", invocations / 1e6, price("lambda", "requests-million")));
    double gbSeconds = invocations * batches.millisPerInvocation / 1000 * settings.lambdaMemoryMb() / 1024.0;
    String architecture = settings.lambdaArchitecture().equals("arm64") ? "arm" : "x86";
    items.add(line("Lambda", "ingest duration (" + settings.lambdaArchitecture() + ", " + settings.lambdaMemoryMb() + " MB, "
        + round1(batches.millisPerInvocation) + " ms a batch)", gbSeconds, price("lambda", architecture + "-gb-seconds")));
  }

  // ---- DynamoDB -----------------------------------------------------------------------------------

  private void dynamoDb(List<LineItem> items, Month month, FleetWorkload fleet, PipelineSettings settings, int shards,
      LambdaBatches batches, boolean writePerReading) {
    int stateBytes = assumptions.deviceStateItemBaseBytes() + assumptions.deviceStateItemBytesPerMetric() * fleet.metricsPerReading();
    double stateUnits = Math.ceil(stateBytes / KIB);
    double stateWritesPerSecond = writePerReading ? fleet.readingsPerSecond()
        : batches.invocationsPerSecond * Math.min(batches.recordsPerInvocation, batches.devicesPerBatchStream);
    items.add(line("DynamoDB", writePerReading ? "device-state writes, one per reading"
            : "device-state writes, coalesced per device per batch",
        stateWritesPerSecond * month.seconds * stateUnits / 1e6, price("dynamodb", "on-demand-write-request-units-million")));

    int aggregateBytes = aggregateItemBytes(fleet);
    double aggregateUnits = Math.ceil(aggregateBytes / KIB);
    double windowsPerMonth = 0;
    double windowsRetained = 0;
    for (Resolution resolution : settings.resolutions()) {
      windowsPerMonth += month.seconds / (resolution.millis() / 1000.0);
      windowsRetained += settings.dataRetentionDays() * 86_400.0 / (resolution.millis() / 1000.0);
    }
    items.add(line("DynamoDB", "aggregate writes, one per device, resolution and window",
        fleet.devices() * windowsPerMonth * aggregateUnits / 1e6, price("dynamodb", "on-demand-write-request-units-million")));
    double storedBytes = fleet.devices() * (stateBytes + assumptions.dynamoItemOverheadBytes())
        + fleet.devices() * windowsRetained * (aggregateBytes + assumptions.dynamoItemOverheadBytes());
    items.add(line("DynamoDB", "storage (device state + " + settings.dataRetentionDays() + " days of aggregates)",
        storedBytes / GIB, price("dynamodb", "storage-gb-month")));
  }

  int aggregateItemBytes(FleetWorkload fleet) {
    return assumptions.aggregateItemBaseBytes() + assumptions.aggregateItemBytesPerMetric() * fleet.metricsPerReading();
  }

  // ---- S3 ------------------------------------------------------------------------------------------

  /** The lake's daily volumes, which Athena scans. */
  record S3Volumes(double rawBytesPerDay, double finestParquetBytesPerDay) {}

  private S3Volumes s3(List<LineItem> items, List<String> notes, Month month, FleetWorkload fleet, PipelineSettings settings,
      int shards, LambdaBatches batches) {
    double rawObjectsPerDay = batches.invocationsPerSecond * 86_400;
    double rawObjectBytes = batches.recordsPerInvocation * month.recordBytes * assumptions.rawGzipRatio();
    double parquetObjectsPerDay = 0;
    double parquetBytesPerDay = 0;
    double finestParquetBytesPerDay = 0;
    long finestMillis = settings.resolutions().stream().mapToLong(Resolution::millis).min().orElseThrow();
    for (Resolution resolution : settings.resolutions()) {
      double windowsPerDay = 86_400_000.0 / resolution.millis();
      double bytes = fleet.devices() * (double) fleet.metricsPerReading() * windowsPerDay * assumptions.parquetBytesPerRow();
      parquetObjectsPerDay += shards * windowsPerDay;
      parquetBytesPerDay += bytes;
      if (resolution.millis() == finestMillis) {
        finestParquetBytesPerDay = bytes;
      }
    }
    double daysPerMonth = month.hours / 24;
    items.add(line("S3", "PUT raw objects (one per Lambda batch)", rawObjectsPerDay * daysPerMonth / 1000,
        price("s3", "put-requests-thousand")));
    items.add(line("S3", "PUT Parquet objects (per shard, resolution, window)", parquetObjectsPerDay * daysPerMonth / 1000,
        price("s3", "put-requests-thousand")));
    storage(items, notes, settings, "raw/", rawObjectsPerDay, rawObjectBytes, daysPerMonth);
    storage(items, notes, settings, "aggregates/", parquetObjectsPerDay, parquetBytesPerDay / parquetObjectsPerDay, daysPerMonth);
    return new S3Volumes(rawObjectsPerDay * rawObjectBytes, finestParquetBytesPerDay);
  }

  /** Storage classes as CloudFormation names them, with their price unit, minimum days and billing floor per object. */
  private record StorageClass(String unit, String transitionUnit, int minimumDays, double minimumObjectBytes,
      double overheadBytesPerObject) {}

  private static final Map<String, StorageClass> STORAGE_CLASSES = Map.of(
      "STANDARD", new StorageClass("standard-gb-month", null, 0, 0, 0),
      "STANDARD_IA", new StorageClass("standard-ia-gb-month", "transition-standard-ia-thousand", 30, 128 * KIB, 0),
      "GLACIER_IR", new StorageClass("glacier-ir-gb-month", "transition-glacier-ir-thousand", 90, 128 * KIB, 0),
      "GLACIER", new StorageClass("glacier-flexible-gb-month", "transition-glacier-flexible-thousand", 90, 0, 40 * KIB),
      "DEEP_ARCHIVE", new StorageClass("deep-archive-gb-month", "transition-deep-archive-thousand", 180, 0, 40 * KIB));

  /**
   * Steady-state storage of one lake prefix: objects arriving every day spend the days between the lifecycle
   * rule's transitions in each class, until expiry (or DataRetentionDays when the rule sets none). A class with
   * a minimum storage duration bills at least that many days; IA and Glacier IR bill small objects as 128 KB.
   */
  private void storage(List<LineItem> items, List<String> notes, PipelineSettings settings, String prefix,
      double objectsPerDay, double objectBytes, double daysPerMonth) {
    LifecycleRule rule = settings.lakeLifecycle().stream()
        .filter(candidate -> candidate.covers(prefix))
        .filter(candidate -> !candidate.transitions().isEmpty() || candidate.expirationDays().isPresent())
        .findFirst()
        .orElse(new LifecycleRule("none", java.util.Optional.empty(), List.of(), java.util.Optional.empty()));
    int horizon = rule.expirationDays().orElse(settings.dataRetentionDays());
    if (rule.expirationDays().isEmpty()) {
      notes.add("lake " + prefix + ": no lifecycle expiration in the template, so storage is counted over DataRetentionDays ("
          + settings.dataRetentionDays() + " days); without one it grows every month");
    }
    List<LifecycleRule.Transition> stages = new ArrayList<>();
    stages.add(new LifecycleRule.Transition(0, "STANDARD"));
    rule.transitions().stream().filter(transition -> transition.days() < horizon)
        .sorted(Comparator.comparingInt(LifecycleRule.Transition::days)).forEach(stages::add);
    for (int i = 0; i < stages.size(); i++) {
      LifecycleRule.Transition stage = stages.get(i);
      StorageClass storageClass = STORAGE_CLASSES.get(stage.storageClass());
      if (storageClass == null) {
        throw new CostInputException(settings.templateSource() + " lake lifecycle rule " + rule.id() + " moves " + prefix
            + " to " + stage.storageClass() + ", which the price table does not price (it prices " + STORAGE_CLASSES.keySet() + ")");
      }
      int end = i + 1 < stages.size() ? stages.get(i + 1).days() : horizon;
      int billedDays = Math.max(end - stage.days(), storageClass.minimumDays());
      double billedObjectBytes = Math.max(objectBytes, storageClass.minimumObjectBytes()) + storageClass.overheadBytesPerObject();
      double gbMonths = objectsPerDay * billedObjectBytes * billedDays / GIB;
      items.add(line("S3", "storage " + prefix + " " + stage.storageClass() + " (days " + stage.days() + "-" + end + ")",
          gbMonths, price("s3", storageClass.unit())));
      if (storageClass.transitionUnit() != null) {
        items.add(line("S3", "lifecycle transitions " + prefix + " to " + stage.storageClass(),
            objectsPerDay * daysPerMonth / 1000, price("s3", storageClass.transitionUnit())));
        if (objectBytes < storageClass.minimumObjectBytes()) {
          notes.add(String.format(Locale.ROOT, "lake %s: objects of %.1f KB are billed as 128 KB in %s; larger Lambda batches"
              + " (BatchSize, batching window) or no transition would cost less", prefix, objectBytes / KIB, stage.storageClass()));
        }
      }
    }
  }

  // ---- Athena -------------------------------------------------------------------------------------

  private void athena(List<LineItem> items, Month month, FleetWorkload fleet, PipelineSettings settings, S3Volumes lake) {
    double days = month.hours / 24;
    double dashboardBytes = month.hours * assumptions.dashboardQueriesPerHour()
        * Math.max(ATHENA_MIN_BYTES_PER_QUERY, lake.finestParquetBytesPerDay() / 24);
    double reportBytes = days * assumptions.reportQueriesPerDay()
        * Math.max(ATHENA_MIN_BYTES_PER_QUERY, lake.finestParquetBytesPerDay());
    double rawBytes = days * assumptions.rawAdHocQueriesPerDay()
        * Math.max(ATHENA_MIN_BYTES_PER_QUERY, lake.rawBytesPerDay() / 24);
    items.add(line("Athena", "dashboard queries (" + assumptions.dashboardQueriesPerHour() + "/h, last hour of aggregates)",
        dashboardBytes / TIB, price("athena", "tb-scanned")));
    items.add(line("Athena", "daily report (" + assumptions.reportQueriesPerDay() + "/day, last day of aggregates)",
        reportBytes / TIB, price("athena", "tb-scanned")));
    items.add(line("Athena", "ad-hoc raw queries (" + assumptions.rawAdHocQueriesPerDay() + "/day, one hour of raw)",
        rawBytes / TIB, price("athena", "tb-scanned")));
  }

  // ---- CloudWatch ---------------------------------------------------------------------------------

  private void cloudWatch(List<LineItem> items, Month month, PipelineSettings settings, LambdaBatches batches) {
    items.add(line("CloudWatch", "custom metrics (EMF + rule metric actions)",
        assumptions.emfCustomMetrics() + settings.cloudWatchMetricActionsPerMessage(), price("cloudwatch", "custom-metrics-month")));
    if (settings.cloudWatchMetricActionsPerMessage() > 0) {
      items.add(line("CloudWatch", "PutMetricData from the rule's metric action, one per message",
          month.messages * settings.cloudWatchMetricActionsPerMessage() / 1000, price("cloudwatch", "put-metric-data-requests-thousand")));
    }
    double logBytes = batches.invocationsPerSecond * month.seconds * assumptions.lambdaLogBytesPerInvocation()
        + settings.processorTasks() * month.hours * 60 * assumptions.processorLogBytesPerTaskMinute()
        + month.messages * settings.cloudWatchLogsActionsPerMessage() * month.payloadBytes;
    items.add(line("CloudWatch", "log ingestion (Lambda, processor" + (settings.cloudWatchLogsActionsPerMessage() > 0
        ? ", rule logs action" : "") + ")", logBytes / GIB, price("cloudwatch", "log-ingestion-gb")));
    int retention = settings.logRetentionDays().orElse(assumptions.assumedLogRetentionDays());
    items.add(line("CloudWatch", "log storage (" + retention + " days)",
        logBytes / GIB * assumptions.cloudWatchLogCompression() * retention / DAYS_PER_MONTH_OF_LOGS,
        price("cloudwatch", "log-storage-gb-month")));
    items.add(line("CloudWatch", "alarms (standard resolution)", settings.alarms(), price("cloudwatch", "standard-alarms-month")));
    items.add(line("CloudWatch", "dashboards", settings.dashboards(), price("cloudwatch", "dashboards-month")));
  }

  // ---- Fargate ------------------------------------------------------------------------------------

  private void fargate(List<LineItem> items, Month month, PipelineSettings settings) {
    String architecture = settings.processorArchitecture().equals("ARM64") ? "arm" : "x86";
    double taskHours = settings.processorTasks() * month.hours;
    items.add(line("ECS Fargate", "stream-processor vCPU hours (" + settings.processorTasks() + " tasks x "
        + ModelAssumptions.fmt(settings.processorVcpu()) + " vCPU, " + settings.processorArchitecture() + ")",
        taskHours * settings.processorVcpu(), price("fargate", architecture + "-vcpu-hours")));
    items.add(line("ECS Fargate", "stream-processor GB hours (" + ModelAssumptions.fmt(settings.processorMemoryGb()) + " GB)",
        taskHours * settings.processorMemoryGb(), price("fargate", architecture + "-gb-hours")));
  }

  // ---- helpers ------------------------------------------------------------------------------------

  private Price price(String service, String unit) {
    return prices.get(service, unit);
  }

  private static LineItem line(String service, String item, double quantity, Price price) {
    return new LineItem(service, item, quantity, price.unit(), price.perUnit(), quantity * price.perUnit());
  }

  private static double sum(List<LineItem> items) {
    return items.stream().mapToDouble(LineItem::monthlyUsd).sum();
  }

  static double roundUp(double bytes, double unit) {
    return Math.ceil(bytes / unit) * unit;
  }

  private static String round1(double value) {
    return String.format(Locale.ROOT, "%.1f", value);
  }
}
