package io.github.iottelemetry.cost.estimate;

import io.github.iottelemetry.core.window.Resolution;
import io.github.iottelemetry.cost.fleet.FleetWorkload;
import io.github.iottelemetry.cost.fleet.MessageSizer;
import io.github.iottelemetry.cost.price.Price;
import io.github.iottelemetry.cost.price.PriceTable.RegionPrices;
import io.github.iottelemetry.cost.settings.PipelineSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Prices a month of the pipeline for a fleet. Every quantity follows from the fleet, the template's settings and
 * the stated {@link ModelAssumptions}; every price comes from the price table. The design prices the pipeline
 * as the template builds it; the naive design is the same pipeline with one reading per message, no Basic
 * Ingest, a CloudWatch metric action per message and one device-state write per reading.
 *
 * <p>What is priced, service by service: IoT Core (connections, rules, actions, messaging without Basic Ingest);
 * Kinesis (on demand: stream hours, data in on records rounded up to 1 KB, data read by each consumer; provisioned:
 * shard hours and PUT payload units); the ingest Lambda (requests, duration) and its X-Ray traces; DynamoDB (device
 * state writes, aggregate reads and writes, KCL's lease table, storage and point-in-time recovery of every table);
 * S3 (every PUT and GET the ingest function, the stream processor and Athena make, storage of every prefix through
 * its lifecycle, noncurrent versions, transitions, the Athena results bucket); Athena scans; CloudWatch (custom
 * metrics, PutMetricData, logs, alarms, dashboards); ECS Fargate with the tasks' public IPv4 addresses; KMS keys and
 * requests; the image repository.
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
    private static final double LAMBDA_PAYLOAD_BYTES = 6 * KIB * KIB;
    private static final double LAMBDA_EVENT_BYTES_PER_RECORD = 300;
    private static final double ATHENA_MIN_BYTES_PER_QUERY = 10 * KIB * KIB;
    private static final double DAYS_PER_MONTH_OF_LOGS = 30.4;
    /** The lake's device buckets per window (telemetry-core LakeLayout: the top 4 bits of MD5(deviceId)). */
    static final int LAKE_DEVICE_BUCKETS = 16;

    private static final double LEASE_ITEM_BYTES = 512;
    private static final double LEASE_SCAN_SECONDS = 20;
    private static final double XRAY_RESERVOIR_PER_SECOND = 1;
    private static final double XRAY_FIXED_RATE = 0.05;
    private static final int KCL_DATA_POINTS_PER_REQUEST = 20;
    private static final int ATHENA_RESULT_PUTS_PER_QUERY = 2;

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

    /** One reading per message, no Basic Ingest, a CloudWatch metric action per message, a device-state write per reading. */
    public CostEstimate naive(FleetWorkload fleet, PipelineSettings settings) {
        return estimate(NAIVE, fleet.unbatched(), settings.naive(), true);
    }

    private CostEstimate estimate(
            String design, FleetWorkload fleet, PipelineSettings settings, boolean writePerReading) {
        Workload work = workload(fleet, settings, writePerReading);
        Month month = new Month(fleet, assumptions);
        Pricing pricing = new Pricing(fleet, settings, work, month, writePerReading);
        pricing.iotCore();
        pricing.kinesis();
        pricing.lambda();
        pricing.dynamoDb();
        Lake lake = pricing.s3();
        pricing.athena(lake);
        pricing.cloudWatch();
        pricing.fargate();
        pricing.keysAndImages();
        return new CostEstimate(design, pricing.items, month.readings, month.messages, work, pricing.notes);
    }

    /** Monthly volumes shared by the services. */
    private record Month(double seconds, double hours, double days, double messages, double readings) {
        Month(FleetWorkload fleet, ModelAssumptions assumptions) {
            this(
                    assumptions.hoursPerMonth() * 3600,
                    assumptions.hoursPerMonth(),
                    assumptions.hoursPerMonth() / 24,
                    fleet.messagesPerSecond() * assumptions.hoursPerMonth() * 3600,
                    fleet.readingsPerSecond() * assumptions.hoursPerMonth() * 3600);
        }
    }

    // ---- the rates ---------------------------------------------------------------------------------

    /** Kinesis shards the write rate needs: 1 MiB/s and 1,000 records/s per shard, on the bytes written. */
    public static int shardsNeeded(FleetWorkload fleet) {
        double bytesPerSecond = fleet.messagesPerSecond() * shardBytes(fleet);
        return (int) Math.max(
                1,
                Math.ceil(Math.max(
                        bytesPerSecond / SHARD_WRITE_BYTES_PER_SECOND,
                        fleet.messagesPerSecond() / SHARD_WRITE_RECORDS_PER_SECOND)));
    }

    /** Bytes one record counts against a shard: data and partition key (the thing name). */
    static double shardBytes(FleetWorkload fleet) {
        return MessageSizer.kinesisRecordBytes(fleet)
                + MessageSizer.deviceId(fleet.devices()).length();
    }

    /** Everything the month is priced from; the naive design writes a device's state for every reading. */
    public Workload workload(FleetWorkload fleet, PipelineSettings settings, boolean writePerReading) {
        PipelineSettings.Ingest ingest = settings.ingest();
        int needed = shardsNeeded(fleet);
        int recommended = (int) Math.ceil(needed * assumptions.shardHeadroom());
        int shards = settings.stream().onDemand()
                ? Math.max(MIN_ON_DEMAND_SHARDS, recommended)
                : settings.stream().provisionedShards();
        int recordBytes = MessageSizer.kinesisRecordBytes(fleet);

        // A batch goes out when it is full (BatchSize, or 6 MB of base64 records) or when the batching window (else the
        // one-second poll) ends, whichever is first, and never holds less than one record.
        int batchStreams = shards * ingest.parallelizationFactor();
        double recordsPerBatchStream = fleet.messagesPerSecond() / batchStreams;
        double fullBatch = Math.min(
                ingest.batchSize(),
                Math.floor(LAMBDA_PAYLOAD_BYTES / (recordBytes * 4.0 / 3 + LAMBDA_EVENT_BYTES_PER_RECORD)));
        double flushesPerSecond = ingest.batchingWindowSeconds() > 0 ? 1.0 / ingest.batchingWindowSeconds() : 1.0;
        double batchesPerStream =
                Math.max(recordsPerBatchStream / fullBatch, Math.min(recordsPerBatchStream, flushesPerSecond));
        double invocationsPerSecond = batchesPerStream * batchStreams;
        double recordsPerInvocation = fleet.messagesPerSecond() / invocationsPerSecond;

        // A device's state is written for its newest message of a batch, and with an interval T only when that
        // message's
        // newest reading is T or more after the one last written: every ceil(T / step) steps, where a step is the
        // device's message interval, or the batch period when several of its messages share a batch.
        double stateInterval;
        if (writePerReading) {
            stateInterval = fleet.readingIntervalSeconds();
        } else {
            double step = Math.max(fleet.messageIntervalSeconds(), 1 / batchesPerStream);
            int t = ingest.deviceStateIntervalSeconds();
            stateInterval = t > 0 ? Math.ceil(t / step - 1e-9) * step : step;
        }
        double stateWritesPerSecond = fleet.devices() / stateInterval;
        double millisPerInvocation = assumptions.lambdaMillisPerInvocation()
                + assumptions.lambdaMillisPerRecord() * recordsPerInvocation
                + assumptions.lambdaMillisPerStateWrite() * stateWritesPerSecond / invocationsPerSecond;

        // A window is written when it closes and, while open, at every forced flush (MAX_OPEN_SECONDS), which also cuts
        // the window being filled in two: per device and resolution 1/resolution + 1/flush interval writes a second.
        boolean aggregates = settings.processor().deployed();
        double windowWritesPerDevice = 0;
        for (Resolution resolution : settings.aggregation().resolutions()) {
            windowWritesPerDevice +=
                    1 / seconds(resolution) + 1.0 / settings.aggregation().maxOpenSeconds();
        }
        double aggregateWrites = aggregates ? fleet.devices() * windowWritesPerDevice : 0;
        double lakeObjectWrites = aggregates ? shards * lakeBucketsPerShard(shards) * windowWritesPerDevice : 0;
        // A window's first write creates its item without reading it (the worker has not written it before); only the
        // writes after a forced flush read first. The same for a lake object: its creation has no GET; a worker whose
        // shard shares the object's device bucket with another shard tries to create it too, fails, then reads.
        double windowsPerDevice = 0;
        for (Resolution resolution : settings.aggregation().resolutions()) {
            windowsPerDevice += 1 / seconds(resolution);
        }
        double aggregateReads = aggregates ? fleet.devices() * (windowWritesPerDevice - windowsPerDevice) : 0;
        double objectsCreated = aggregates ? LAKE_DEVICE_BUCKETS * windowsPerDevice : 0;
        double writersPerObject = aggregates ? shards * lakeBucketsPerShard(shards) / LAKE_DEVICE_BUCKETS : 0;
        double lakeObjectReads = Math.max(0, lakeObjectWrites - objectsCreated);
        double lakeCreateMisses = Math.max(0, writersPerObject - 1) * objectsCreated;

        double rawObjectsPerSecond =
                invocationsPerSecond + batchStreams / 3600.0; // a batch across an ingest hour is two objects
        double rawBytesPerSecond = fleet.messagesPerSecond()
                * (1 - assumptions.quarantinedShare())
                * recordBytes
                * assumptions.rawGzipRatio();

        double heapNeeded = aggregates ? processorHeapBytes(fleet, settings) : 0;
        double heapPerTask = settings.processor().memoryGb() * GIB * assumptions.processorHeapShareOfMemory();
        int tasksNeeded = 0;
        if (aggregates) {
            tasksNeeded = (int) Math.max(
                    Math.ceil(heapNeeded / heapPerTask),
                    Math.ceil(fleet.readingsPerSecond()
                            / (assumptions.processorReadingsPerVcpuSecond()
                                    * settings.processor().vcpu())));
        }
        int tasks = aggregates ? Math.max(settings.processor().minTasks(), tasksNeeded) : 0;

        return new Workload(
                fleet.messagesPerSecond(),
                fleet.readingsPerSecond(),
                recordBytes,
                needed,
                shards,
                recommended,
                batchStreams,
                invocationsPerSecond,
                recordsPerInvocation,
                millisPerInvocation,
                stateWritesPerSecond,
                stateInterval,
                aggregateWrites,
                aggregateReads,
                lakeObjectWrites,
                lakeObjectReads,
                lakeCreateMisses,
                rawObjectsPerSecond,
                rawBytesPerSecond / rawObjectsPerSecond,
                tasks,
                tasksNeeded,
                heapNeeded);
    }

    /**
     * The processor's heap for the whole fleet: every open (device, metric, window), which a window stays for its
     * length plus the allowed lateness, and every reading of the last MAX_OPEN_SECONDS, which it keeps until the
     * checkpoint passes them (the source of exact deltas after a replay).
     */
    double processorHeapBytes(FleetWorkload fleet, PipelineSettings settings) {
        PipelineSettings.Aggregation aggregation = settings.aggregation();
        double openWindows = 0;
        for (Resolution resolution : aggregation.resolutions()) {
            openWindows +=
                    Math.ceil((seconds(resolution) + aggregation.allowedLatenessSeconds()) / seconds(resolution));
        }
        return fleet.devices()
                        * (double) fleet.metricsPerReading()
                        * openWindows
                        * assumptions.openWindowBytesPerMetric()
                + fleet.readingsPerSecond() * aggregation.maxOpenSeconds() * assumptions.pendingBytesPerReading();
    }

    /**
     * Lake objects one shard writes per window: its hash range spans 16/shards device buckets, plus one where its range
     * does not line up with the buckets' (Kinesis and the lake both hash the device id with MD5).
     */
    static double lakeBucketsPerShard(int shards) {
        double span = (double) LAKE_DEVICE_BUCKETS / shards;
        boolean aligned =
                shards <= LAKE_DEVICE_BUCKETS ? LAKE_DEVICE_BUCKETS % shards == 0 : shards % LAKE_DEVICE_BUCKETS == 0;
        return Math.max(1, span) + (aligned ? 0 : Math.min(1, span));
    }

    int aggregateItemBytes(FleetWorkload fleet) {
        return assumptions.aggregateItemBaseBytes()
                + assumptions.aggregateItemBytesPerMetric() * fleet.metricsPerReading();
    }

    int deviceStateItemBytes(FleetWorkload fleet) {
        return assumptions.deviceStateItemBaseBytes()
                + assumptions.deviceStateItemBytesPerMetric() * fleet.metricsPerReading();
    }

    private static double seconds(Resolution resolution) {
        return resolution.millis() / 1000.0;
    }

    /** The lake's volumes that Athena scans. */
    private record Lake(
            double rawBytesPerHour,
            double rawObjectsPerHour,
            double finestParquetBytesPerHour,
            double finestParquetObjectsPerHour) {}

    // ---- the bill ----------------------------------------------------------------------------------

    /** One estimate's line items, service by service. */
    private final class Pricing {
        private final FleetWorkload fleet;
        private final PipelineSettings settings;
        private final Workload work;
        private final Month month;
        private final boolean writePerReading;
        final List<LineItem> items = new ArrayList<>();
        final List<String> notes = new ArrayList<>();

        Pricing(FleetWorkload fleet, PipelineSettings settings, Workload work, Month month, boolean writePerReading) {
            this.writePerReading = writePerReading;
            this.fleet = fleet;
            this.settings = settings;
            this.work = work;
            this.month = month;
        }

        // ---- IoT Core ----

        void iotCore() {
            PipelineSettings.Rules rules = settings.rules();
            int mqttBytes = MessageSizer.mqttBytes(fleet);
            int payloadBytes = MessageSizer.payloadBytes(fleet);
            add(
                    "IoT Core",
                    "connection minutes",
                    month.hours * 60 * fleet.devices() / 1e6,
                    "iot-core",
                    "connection-minutes-million",
                    "");
            double units = Math.ceil(payloadBytes / IOT_METERING_BYTES);
            String perMessage = "billed per message in 5 KB units: more readings per message (--batch "
                    + readingsFilling(fleet, IOT_METERING_BYTES * units) + " fills " + (int) units + " unit"
                    + (units > 1 ? "s" : "") + ")";
            add(
                    "IoT Core",
                    rules.useBasicIngest() ? "messaging: Basic Ingest topic, not billed" : "messaging (5 KB units)",
                    rules.useBasicIngest() ? 0 : month.messages * Math.ceil(mqttBytes / IOT_METERING_BYTES) / 1e6,
                    "iot-core",
                    "messages-million",
                    rules.useBasicIngest() ? "" : "UseBasicIngest=true (devices publish to $aws/rules/...)");
            add(
                    "IoT Core",
                    "rules triggered (" + rules.rulesPerMessage() + " per message)",
                    month.messages * rules.rulesPerMessage() * units / 1e6,
                    "iot-core",
                    "rules-triggered-million",
                    perMessage);
            add(
                    "IoT Core",
                    "rule actions executed (" + rules.actionsPerMessage() + " per message)",
                    month.messages * rules.actionsPerMessage() * units / 1e6,
                    "iot-core",
                    "actions-executed-million",
                    rules.cloudWatchMetricActionsPerMessage() > 0
                            ? "EnableRuleMetricAction=false; " + perMessage
                            : perMessage);
        }

        // ---- Kinesis ----

        void kinesis() {
            PipelineSettings.Stream stream = settings.stream();
            double meteredIn = month.messages * roundUp(work.recordBytes(), KIB) / GIB;
            double read = month.messages * work.recordBytes() / GIB * stream.consumers();
            int extendedHours = Math.max(0, Math.min(stream.retentionHours(), 168) - 24);
            List<LineItem> onDemand = new ArrayList<>();
            List<LineItem> provisioned = new ArrayList<>();
            int provisionedShards = stream.onDemand() ? work.recommendedShardCount() : work.shards();
            String toProvisioned =
                    "a provisioned stream has no per-GB charge: --param ShardCount=" + work.recommendedShardCount();
            int kilobytes = (int) Math.ceil(work.recordBytes() / KIB);
            onDemand.add(
                    line("Kinesis", "on-demand stream hours", month.hours, "kinesis", "on-demand-stream-hours", ""));
            onDemand.add(line(
                    "Kinesis",
                    "on-demand data in (records of " + work.recordBytes() + " B billed as " + kilobytes + " KB)",
                    meteredIn,
                    "kinesis",
                    "on-demand-gb-in",
                    toProvisioned + "; or messages that fill the " + kilobytes
                            + " KB each record is billed as (--batch " + readingsFilling(fleet, kilobytes * KIB)
                            + ")"));
            onDemand.add(line(
                    "Kinesis",
                    "on-demand data read (" + stream.consumers() + " consumers, bytes read)",
                    read,
                    "kinesis",
                    "on-demand-gb-out",
                    toProvisioned));
            if (extendedHours > 0) {
                onDemand.add(line(
                        "Kinesis",
                        "on-demand extended retention (" + stream.retentionHours() + " h)",
                        meteredIn / month.hours * extendedHours,
                        "kinesis",
                        "on-demand-extended-retention-gb-month",
                        "StreamRetentionHours=24"));
            }
            provisioned.add(line(
                    "Kinesis",
                    "shard hours (" + provisionedShards + " shards)",
                    provisionedShards * month.hours,
                    "kinesis",
                    "shard-hours",
                    work.shardsNeeded() < provisionedShards
                            ? "ShardCount down to the " + work.shardsNeeded()
                                    + " the write rate needs, without headroom"
                            : ""));
            provisioned.add(line(
                    "Kinesis",
                    "PUT payload units (25 KB)",
                    month.messages * Math.ceil(work.recordBytes() / KINESIS_PUT_PAYLOAD_UNIT_BYTES) / 1e6,
                    "kinesis",
                    "put-payload-units-million",
                    "more readings per message (--batch): billed per record"));
            if (extendedHours > 0) {
                provisioned.add(line(
                        "Kinesis",
                        "extended retention (" + stream.retentionHours() + " h)",
                        provisionedShards * month.hours,
                        "kinesis",
                        "extended-retention-shard-hours",
                        "StreamRetentionHours=24"));
            }
            if (stream.retentionHours() > 168) {
                notes.add("stream retention " + stream.retentionHours()
                        + " h: long-term retention beyond 7 days is not priced");
            }
            List<LineItem> chosen = stream.onDemand() ? onDemand : provisioned;
            List<LineItem> other = stream.onDemand() ? provisioned : onDemand;
            items.addAll(chosen);
            notes.add(String.format(
                    Locale.ROOT,
                    "Kinesis %s as the template sets it: $%,.2f a month; %s would be $%,.2f (the write"
                            + " rate needs %d shards; ShardCount=%d keeps %sx headroom)",
                    stream.onDemand() ? "on-demand" : "provisioned (" + work.shards() + " shards)",
                    sum(chosen),
                    stream.onDemand() ? "provisioned with ShardCount=" + provisionedShards : "on-demand (ShardCount=0)",
                    sum(other),
                    work.shardsNeeded(),
                    work.recommendedShardCount(),
                    ModelAssumptions.fmt(assumptions.shardHeadroom())));
        }

        // ---- Lambda and X-Ray ----

        void lambda() {
            PipelineSettings.Ingest ingest = settings.ingest();
            double invocations = work.invocationsPerSecond() * month.seconds;
            String larger = "a larger BatchSize (" + ingest.batchSize() + " now; batches hold "
                    + round1(work.recordsPerInvocation()) + " records)";
            add("Lambda", "ingest requests", invocations / 1e6, "lambda", "requests-million", larger);
            double gbSeconds = invocations * work.millisPerInvocation() / 1000 * ingest.memoryMb() / 1024.0;
            String architecture = ingest.architecture().equals("arm64") ? "arm" : "x86";
            add(
                    "Lambda",
                    "ingest duration (" + ingest.architecture() + ", " + ingest.memoryMb() + " MB, "
                            + round1(work.millisPerInvocation()) + " ms a batch)",
                    gbSeconds,
                    "lambda",
                    architecture + "-gb-seconds",
                    "a longer DeviceStateIntervalSeconds (fewer state writes a batch)");
            if (ingest.tracing()) {
                double perSecond = Math.min(work.invocationsPerSecond(), XRAY_RESERVOIR_PER_SECOND)
                        + XRAY_FIXED_RATE * Math.max(0, work.invocationsPerSecond() - XRAY_RESERVOIR_PER_SECOND);
                add(
                        "X-Ray",
                        "traces recorded (1 a second + 5% of ingest invocations)",
                        perSecond * month.seconds / 1e6,
                        "xray",
                        "traces-recorded-million",
                        "a sampling rule with a lower rate, or " + larger);
            }
        }

        // ---- DynamoDB ----

        void dynamoDb() {
            double writeUnitsPerState = Math.ceil(deviceStateItemBytes(fleet) / KIB);
            String stateLever = settings.ingest().deviceStateIntervalSeconds() > 0
                    ? "a longer DeviceStateIntervalSeconds ("
                            + settings.ingest().deviceStateIntervalSeconds() + " s now)"
                    : "DeviceStateIntervalSeconds > 0 (a device's state at most once per interval)";
            add(
                    "DynamoDB",
                    writePerReading
                            ? "device-state writes, one per reading"
                            : "device-state writes, one per device every " + trim(work.stateWriteIntervalSeconds())
                                    + " s",
                    work.stateWritesPerSecond() * month.seconds * writeUnitsPerState / 1e6,
                    "dynamodb",
                    "on-demand-write-request-units-million",
                    stateLever);
            double stateBytes =
                    fleet.devices() * (deviceStateItemBytes(fleet) + (double) assumptions.dynamoItemOverheadBytes());
            double storedBytes = stateBytes;
            if (settings.tables().deviceStatePitr()) {
                add(
                        "DynamoDB",
                        "point-in-time recovery, device-state table",
                        stateBytes / GIB,
                        "dynamodb",
                        "pitr-gb-month",
                        "");
            }

            if (settings.processor().deployed()) {
                int itemBytes = aggregateItemBytes(fleet);
                double writes = work.aggregateWritesPerSecond() * month.seconds;
                String windows = settings.aggregation().resolutions().stream()
                        .map(Object::toString)
                        .reduce((a, b) -> a + "," + b)
                        .orElse("");
                String aggregateLever = "fewer resolutions (AggregationResolutions=" + windows
                        + "), or a longer MAX_OPEN_SECONDS ("
                        + settings.aggregation().maxOpenSeconds() + " s: every open window is rewritten that often)";
                add(
                        "DynamoDB",
                        "aggregate writes (" + windows + " windows at close + every "
                                + settings.aggregation().maxOpenSeconds() + " s while open)",
                        writes * Math.ceil(itemBytes / KIB) / 1e6,
                        "dynamodb",
                        "on-demand-write-request-units-million",
                        aggregateLever);
                add(
                        "DynamoDB",
                        "aggregate reads (strongly consistent, before re-writing a window after a forced flush)",
                        work.aggregateReadsPerSecond() * month.seconds * Math.ceil(itemBytes / (4 * KIB)) / 1e6,
                        "dynamodb",
                        "on-demand-read-request-units-million",
                        aggregateLever);
                double aggregateBytes = 0;
                StringBuilder kept = new StringBuilder();
                for (Resolution resolution : settings.aggregation().resolutions()) {
                    int days = settings.aggregation().ttlDays(resolution);
                    aggregateBytes += fleet.devices()
                            * (days + assumptions.ttlDeleteLagDays())
                            * 86_400
                            / seconds(resolution)
                            * (itemBytes + assumptions.dynamoItemOverheadBytes());
                    kept.append(kept.isEmpty() ? "" : ", ")
                            .append(resolution)
                            .append(' ')
                            .append(days)
                            .append(" d");
                }
                storedBytes += aggregateBytes;
                if (settings.tables().aggregatesPitr()) {
                    add(
                            "DynamoDB",
                            "point-in-time recovery, aggregates table",
                            aggregateBytes / GIB,
                            "dynamodb",
                            "pitr-gb-month",
                            "AggregatesPointInTimeRecovery=false: the aggregates are rebuilt from raw/ with processor replay");
                }
                double leaseWrites = work.shards() / assumptions.leaseRenewalSeconds()
                        + work.shards() / assumptions.checkpointSeconds()
                        + work.processorTasks() / assumptions.workerMetricsSeconds();
                add(
                        "DynamoDB",
                        "KCL lease table writes (lease renewals, checkpoints, worker metrics)",
                        leaseWrites * month.seconds / 1e6,
                        "dynamodb",
                        "on-demand-write-request-units-million",
                        "");
                double leaseItems = work.shards() + work.processorTasks() + 2;
                add(
                        "DynamoDB",
                        "KCL lease table reads (the leader's scans)",
                        Math.ceil(leaseItems * LEASE_ITEM_BYTES / (4 * KIB))
                                * 0.5
                                / LEASE_SCAN_SECONDS
                                * month.seconds
                                / 1e6,
                        "dynamodb",
                        "on-demand-read-request-units-million",
                        "");
                storedBytes += leaseItems * LEASE_ITEM_BYTES;
                add(
                        "DynamoDB",
                        "storage (device state, lease table, aggregates " + kept + " + "
                                + assumptions.ttlDeleteLagDays() + " d)",
                        storedBytes / GIB,
                        "dynamodb",
                        "storage-gb-month",
                        "shorter HotWindowDays or DataRetentionDays (the lake keeps the history)");
            } else {
                add("DynamoDB", "storage (device state)", storedBytes / GIB, "dynamodb", "storage-gb-month", "");
            }
        }

        // ---- S3 ----

        Lake s3() {
            PipelineSettings.Lake lake = settings.lake();
            double days = month.days;
            double rawObjectsPerDay = work.rawObjectsPerSecond() * 86_400;
            add(
                    "S3",
                    "PUT raw objects (one per Lambda batch)",
                    rawObjectsPerDay * days / 1000,
                    "s3",
                    "put-requests-thousand",
                    "a larger BatchSize (" + settings.ingest().batchSize() + " now)");
            double quarantinedPerDay = work.messagesPerSecond() * assumptions.quarantinedShare() * 86_400;
            add(
                    "S3",
                    "PUT quarantine objects (one per rejected record)",
                    quarantinedPerDay * days / 1000,
                    "s3",
                    "put-requests-thousand",
                    "fix what devices send (query quarantine-by-reason)");
            storage(
                    "raw/",
                    rawObjectsPerDay,
                    work.rawObjectBytes(),
                    "shorter DataRetentionDays; a larger BatchSize, so raw objects"
                            + " pass 128 KB and move to Standard-IA");
            storage("quarantine/", quarantinedPerDay, work.recordBytes(), "");

            double finestBytesPerHour = 0;
            double finestObjectsPerHour = 0;
            if (settings.processor().deployed()) {
                double objectWrites = work.lakeObjectWritesPerSecond() * month.seconds;
                add(
                        "S3",
                        "PUT Parquet objects (every shard's writes of each window's objects, and the creations that find"
                                + " the object created by another shard)",
                        (objectWrites + work.lakeObjectCreateMissesPerSecond() * month.seconds) / 1000,
                        "s3",
                        "put-requests-thousand",
                        "fewer resolutions, a longer MAX_OPEN_SECONDS");
                add(
                        "S3",
                        "GET Parquet objects (read before each put but an object's creation)",
                        work.lakeObjectReadsPerSecond() * month.seconds / 1000,
                        "s3",
                        "get-requests-thousand",
                        "");
                long finestMillis = settings.aggregation().resolutions().stream()
                        .mapToLong(Resolution::millis)
                        .min()
                        .orElseThrow();
                double objectsPerDay = 0;
                double bytesPerDay = 0;
                double noncurrentBytes = 0;
                for (Resolution resolution : settings.aggregation().resolutions()) {
                    double windowsPerDay = 86_400 / seconds(resolution);
                    double objectBytes = parquetObjectBytes(fleet);
                    objectsPerDay += LAKE_DEVICE_BUCKETS * windowsPerDay;
                    bytesPerDay += LAKE_DEVICE_BUCKETS * windowsPerDay * objectBytes;
                    // each object is put by every shard whose devices it holds, again at every forced flush while open;
                    // each put
                    // leaves the version it replaced (on average half the final size) for the noncurrent days
                    double putsPerObject = work.shards()
                            * lakeBucketsPerShard(work.shards())
                            / LAKE_DEVICE_BUCKETS
                            * (1 + seconds(resolution) / settings.aggregation().maxOpenSeconds());
                    if (lake.versioned()) {
                        noncurrentBytes += LAKE_DEVICE_BUCKETS
                                * windowsPerDay
                                * Math.max(0, putsPerObject - 1)
                                * objectBytes
                                / 2
                                * lake.noncurrentDays();
                    }
                    if (resolution.millis() == finestMillis) {
                        finestBytesPerHour = LAKE_DEVICE_BUCKETS * 3600 / seconds(resolution) * objectBytes;
                        finestObjectsPerHour = LAKE_DEVICE_BUCKETS * 3600 / seconds(resolution);
                    }
                }
                storage("aggregates/", objectsPerDay, bytesPerDay / objectsPerDay, "shorter DataRetentionDays");
                if (lake.versioned() && noncurrentBytes > 0) {
                    add(
                            "S3",
                            "storage aggregates/ noncurrent versions (" + lake.noncurrentDays() + " days)",
                            noncurrentBytes / GIB,
                            "s3",
                            "standard-gb-month",
                            "");
                }
            }
            return new Lake(
                    rawObjectsPerDay / 24 * work.rawObjectBytes(),
                    rawObjectsPerDay / 24,
                    finestBytesPerHour,
                    finestObjectsPerHour);
        }

        /**
         * Steady-state storage of one lake prefix: objects arriving every day spend the days between the lifecycle rules'
         * transitions (those whose size filter the objects pass) in each class, until expiry (or DataRetentionDays when no
         * rule sets one). A class with a minimum storage duration bills at least that many days and its minimum object size.
         */
        private void storage(String prefix, double objectsPerDay, double objectBytes, String lever) {
            if (objectsPerDay <= 0) {
                return;
            }
            StorageLines.price(prefix, objectsPerDay, objectBytes, month.days, settings, prices, items, notes, lever);
        }

        // ---- Athena ----

        void athena(Lake lake) {
            double dashboardBytes = month.hours
                    * assumptions.dashboardQueriesPerHour()
                    * Math.max(ATHENA_MIN_BYTES_PER_QUERY, lake.finestParquetBytesPerHour());
            double reportBytes = month.days
                    * assumptions.reportQueriesPerDay()
                    * Math.max(ATHENA_MIN_BYTES_PER_QUERY, lake.finestParquetBytesPerHour() * 24);
            double rawBytes = month.days
                    * assumptions.rawAdHocQueriesPerDay()
                    * Math.max(ATHENA_MIN_BYTES_PER_QUERY, lake.rawBytesPerHour());
            add(
                    "Athena",
                    "dashboard queries (" + assumptions.dashboardQueriesPerHour() + "/h, last hour of aggregates)",
                    dashboardBytes / TIB,
                    "athena",
                    "tb-scanned",
                    "");
            add(
                    "Athena",
                    "daily report (" + assumptions.reportQueriesPerDay() + "/day, last day of aggregates)",
                    reportBytes / TIB,
                    "athena",
                    "tb-scanned",
                    "");
            add(
                    "Athena",
                    "ad-hoc raw queries (" + assumptions.rawAdHocQueriesPerDay() + "/day, one hour of raw)",
                    rawBytes / TIB,
                    "athena",
                    "tb-scanned",
                    "");
            double queries = month.hours * assumptions.dashboardQueriesPerHour()
                    + month.days * (assumptions.reportQueriesPerDay() + assumptions.rawAdHocQueriesPerDay());
            double gets = month.hours
                            * assumptions.dashboardQueriesPerHour()
                            * lake.finestParquetObjectsPerHour()
                            * assumptions.parquetGetsPerObjectScanned()
                    + month.days
                            * assumptions.reportQueriesPerDay()
                            * lake.finestParquetObjectsPerHour()
                            * 24
                            * assumptions.parquetGetsPerObjectScanned()
                    + month.days * assumptions.rawAdHocQueriesPerDay() * lake.rawObjectsPerHour();
            add("S3", "GET lake objects read by Athena", gets / 1000, "s3", "get-requests-thousand", "");
            add(
                    "S3",
                    "PUT Athena query results",
                    queries * ATHENA_RESULT_PUTS_PER_QUERY / 1000,
                    "s3",
                    "put-requests-thousand",
                    "");
            add(
                    "S3",
                    "storage Athena results (" + settings.lake().resultsExpirationDays() + " days)",
                    queries
                            / month.days
                            * assumptions.athenaResultBytesPerQuery()
                            * settings.lake().resultsExpirationDays()
                            / GIB,
                    "s3",
                    "standard-gb-month",
                    "");
        }

        // ---- CloudWatch ----

        void cloudWatch() {
            PipelineSettings.Rules rules = settings.rules();
            boolean kcl =
                    settings.processor().deployed() && settings.processor().kclCloudWatchMetrics();
            int kclMetrics =
                    kcl ? assumptions.kclMetricsPerShard() * work.shards() + assumptions.kclMetricsPerApplication() : 0;
            add(
                    "CloudWatch",
                    "custom metrics (" + assumptions.emfCustomMetrics() + " EMF"
                            + (kcl ? ", " + kclMetrics + " KCL" : "")
                            + (rules.cloudWatchMetricActionsPerMessage() > 0 ? ", rule metric action" : "") + ")",
                    assumptions.emfCustomMetrics() + kclMetrics + rules.cloudWatchMetricActionsPerMessage(),
                    "cloudwatch",
                    "custom-metrics-month",
                    kcl ? "KCL_CLOUDWATCH_METRICS=false (the dashboard's processor lag widget needs them)" : "");
            double putMetricData = month.messages * rules.cloudWatchMetricActionsPerMessage();
            if (kcl) {
                putMetricData += Math.ceil((double) kclMetrics / KCL_DATA_POINTS_PER_REQUEST)
                        / assumptions.kclMetricsFlushSeconds()
                        * month.seconds;
            }
            if (putMetricData > 0) {
                add(
                        "CloudWatch",
                        "PutMetricData requests ("
                                + (rules.cloudWatchMetricActionsPerMessage() > 0
                                        ? "the rule's metric action, one per message" + (kcl ? "; KCL" : "")
                                        : "KCL")
                                + ")",
                        putMetricData / 1000,
                        "cloudwatch",
                        "put-metric-data-requests-thousand",
                        rules.cloudWatchMetricActionsPerMessage() > 0 ? "EnableRuleMetricAction=false" : "");
            }
            double logBytes = work.invocationsPerSecond() * month.seconds * assumptions.lambdaLogBytesPerInvocation()
                    + work.processorTasks() * month.hours * 60 * assumptions.processorLogBytesPerTaskMinute()
                    + month.messages * rules.cloudWatchLogsActionsPerMessage() * MessageSizer.payloadBytes(fleet);
            add(
                    "CloudWatch",
                    "log ingestion (Lambda, processor"
                            + (rules.cloudWatchLogsActionsPerMessage() > 0 ? ", rule logs action" : "") + ")",
                    logBytes / GIB,
                    "cloudwatch",
                    "log-ingestion-gb",
                    "");
            int retention = settings.observability().logRetentionDays().orElse(assumptions.assumedLogRetentionDays());
            add(
                    "CloudWatch",
                    "log storage (" + retention + " days)",
                    logBytes / GIB * assumptions.cloudWatchLogCompression() * retention / DAYS_PER_MONTH_OF_LOGS,
                    "cloudwatch",
                    "log-storage-gb-month",
                    "");
            add(
                    "CloudWatch",
                    "alarms (standard resolution)",
                    settings.observability().alarms(),
                    "cloudwatch",
                    "standard-alarms-month",
                    "");
            add(
                    "CloudWatch",
                    "dashboards",
                    settings.observability().dashboards(),
                    "cloudwatch",
                    "dashboards-month",
                    "");
        }

        // ---- Fargate ----

        void fargate() {
            PipelineSettings.Processor processor = settings.processor();
            if (!processor.deployed()) {
                return;
            }
            String architecture = processor.architecture().equals("ARM64") ? "arm" : "x86";
            double taskHours = work.processorTasks() * month.hours;
            String tasks = work.processorTasks() + " tasks";
            if (work.processorTasks() > processor.minTasks()) {
                notes.add("ECS Fargate priced at the " + work.processorTasks()
                        + " tasks the fleet needs (memory, CPU; see Capacity)," + " not the service's minimum of "
                        + processor.minTasks());
            }
            add(
                    "ECS Fargate",
                    "stream-processor vCPU hours (" + tasks + " x " + ModelAssumptions.fmt(processor.vcpu()) + " vCPU, "
                            + processor.architecture() + ")",
                    taskHours * processor.vcpu(),
                    "fargate",
                    architecture + "-vcpu-hours",
                    "");
            add(
                    "ECS Fargate",
                    "stream-processor GB hours (" + ModelAssumptions.fmt(processor.memoryGb()) + " GB)",
                    taskHours * processor.memoryGb(),
                    "fargate",
                    architecture + "-gb-hours",
                    "");
            if (processor.publicIp()) {
                add(
                        "VPC",
                        "public IPv4 address of each task",
                        taskHours,
                        "vpc",
                        "public-ipv4-hours",
                        "private subnets with a NAT gateway or interface endpoints cost more (README \"Networking\")");
            }
        }

        // ---- KMS and ECR ----

        void keysAndImages() {
            int keys = settings.observability().customerManagedKeys();
            if (keys > 0) {
                add("KMS", "customer managed keys (" + keys + ")", keys, "kms", "customer-managed-keys-month", "");
            }
            double credentials = 1 + 2.0 * work.batchStreams() + 2.0 * work.processorTasks();
            add(
                    "KMS",
                    "requests (Kinesis and DynamoDB data keys)",
                    credentials * assumptions.kmsRequestsPerCredentialHour() * month.hours / 10_000,
                    "kms",
                    "requests-ten-thousand",
                    "");
            int images = settings.observability().imagesKept();
            if (images > 0) {
                add(
                        "ECR",
                        "image storage (" + images + " images kept)",
                        images * assumptions.imageGb(),
                        "ecr",
                        "storage-gb-month",
                        "");
            }
        }

        private void add(String service, String item, double quantity, String priceService, String unit, String lever) {
            items.add(line(service, item, quantity, priceService, unit, lever));
        }

        private LineItem line(
                String service, String item, double quantity, String priceService, String unit, String lever) {
            Price price = prices.get(priceService, unit);
            return new LineItem(
                    service, item, quantity, price.unit(), price.perUnit(), quantity * price.perUnit(), lever);
        }
    }

    double parquetObjectBytes(FleetWorkload fleet) {
        return assumptions.parquetBytesPerObject()
                + (double) fleet.devices()
                        * fleet.metricsPerReading()
                        / LAKE_DEVICE_BUCKETS
                        * assumptions.parquetBytesPerRow();
    }

    /** The most readings a message can carry and its Kinesis record stay within {@code bytes}. */
    static int readingsFilling(FleetWorkload fleet, double bytes) {
        int best = 1;
        for (int readings = 1; readings <= FleetWorkload.MAX_READINGS_PER_MESSAGE; readings++) {
            FleetWorkload candidate = new FleetWorkload(
                    fleet.devices(), fleet.readingIntervalSeconds(), readings, fleet.metricsPerReading());
            if (MessageSizer.kinesisRecordBytes(candidate) > bytes) {
                break;
            }
            best = readings;
        }
        return best;
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

    static String trim(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.format(Locale.ROOT, "%.1f", value);
    }
}
