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
 * payload, KCL workers per shard, the stream processor's tasks and memory, DynamoDB table throughput.
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
        Workload work = estimate.workload();
        List<CapacityCheck> checks = new ArrayList<>();
        Quota accountPublishes = quotas.get(region, "iot-core", "publishes-per-second-per-account");
        checks.add(atMost(
                "IoT Core publishes per second (account)",
                fleet.messagesPerSecond(),
                accountPublishes,
                "msg/s against the default account quota in " + region,
                "request a quota increase or batch more readings per message (--batch)"));
        checks.add(atMost(
                "IoT Core publishes per second per connection",
                fleet.messagesPerSecondPerDevice(),
                quotas.get(region, "iot-core", "publishes-per-second-per-connection"),
                "msg/s per device connection",
                "a device cannot publish faster; batch readings"));
        checks.add(atMost(
                "MQTT message size (bytes)",
                MessageSizer.payloadBytes(fleet),
                quotas.get(region, "iot-core", "message-bytes"),
                "bytes per message",
                "send fewer readings per message"));

        int needed = work.shardsNeeded();
        Quota shardBytes = quotas.get(region, "kinesis", "shard-write-bytes-per-second");
        double bytesPerSecond = fleet.messagesPerSecond() * CostModel.shardBytes(fleet);
        if (settings.stream().onDemand()) {
            Quota initial = quotas.get(region, "kinesis", "on-demand-initial-write-bytes-per-second");
            checks.add(atMost(
                    "Kinesis on-demand write rate at creation (bytes/s)",
                    bytesPerSecond,
                    initial,
                    "B/s written against a new on-demand stream's 4 MB/s (" + needed + " shards' worth needed)",
                    "a new stream doubles its previous peak within minutes: ramp traffic up or switch to provisioned with ShardCount >= "
                            + work.recommendedShardCount() + " for the launch"));
            Quota max = quotas.get(region, "kinesis", "on-demand-max-write-bytes-per-second");
            checks.add(atMost(
                    "Kinesis on-demand maximum write rate (bytes/s)",
                    bytesPerSecond,
                    max,
                    "B/s against the on-demand ceiling in " + region,
                    "split the fleet across streams"));
        } else {
            int shards = settings.stream().provisionedShards();
            checks.add(new CapacityCheck(
                    "Kinesis shards (provisioned)",
                    needed,
                    shards,
                    shards >= needed,
                    String.format(
                            Locale.ROOT,
                            "%d shards needed (1 MB/s and 1,000 records/s each) for %,.0f records/s and %,.0f B/s;"
                                    + " ShardCount is %d%s",
                            needed,
                            fleet.messagesPerSecond(),
                            bytesPerSecond,
                            shards,
                            shards >= needed
                                    ? (shards < work.recommendedShardCount()
                                            ? " (recommended " + work.recommendedShardCount()
                                                    + " for bursts and uneven devices)"
                                            : "")
                                    : ": writes will be throttled, set ShardCount >= " + needed + " (recommended "
                                            + work.recommendedShardCount() + ")"),
                    shardBytes.sourceUrl()));
        }

        int batchStreams = work.batchStreams();
        Quota concurrency = quotas.get(region, "lambda", "concurrent-executions-per-account");
        checks.add(atMost(
                "Lambda concurrency (shards x ParallelizationFactor)",
                batchStreams,
                concurrency,
                "concurrent ingest batches at most (" + work.shards() + " shards x "
                        + settings.ingest().parallelizationFactor() + ")",
                "request more account concurrency or lower ParallelizationFactor"));
        Quota parallelMax = quotas.get(region, "lambda", "parallelization-factor-max");
        checks.add(atMost(
                "Lambda ParallelizationFactor",
                settings.ingest().parallelizationFactor(),
                parallelMax,
                "concurrent batches per shard",
                "ParallelizationFactor is at most 10"));
        double busy = work.invocationsPerSecond() * work.millisPerInvocation() / 1000;
        checks.add(new CapacityCheck(
                "Lambda keeps up with the stream",
                busy,
                batchStreams,
                busy <= batchStreams,
                String.format(
                        Locale.ROOT,
                        "%.1f batches busy on average of %d possible%s",
                        busy,
                        batchStreams,
                        busy <= batchStreams
                                ? ""
                                : ": iterator age will grow; raise ParallelizationFactor or BatchSize"),
                concurrency.sourceUrl()));
        Quota payload = quotas.get(region, "lambda", "invocation-payload-bytes");
        double batchBytes = Math.min(settings.ingest().batchSize(), Math.max(1, work.recordsPerInvocation()))
                * work.recordBytes()
                * 4.0
                / 3.0;
        checks.add(atMost(
                "Lambda batch payload (bytes, base64)",
                batchBytes,
                payload,
                "bytes per invocation",
                "Lambda cuts the batch at 6 MB; lower BatchSize"));

        Quota tableWrites = quotas.get(region, "dynamodb", "on-demand-table-write-units-per-second");
        Quota tableReads = quotas.get(region, "dynamodb", "on-demand-table-read-units-per-second");
        checks.add(atMost(
                "DynamoDB device-state table writes (WRU/s)",
                work.stateWritesPerSecond() * Math.ceil(model.deviceStateItemBytes(fleet) / CostModel.KIB),
                tableWrites,
                "write units per second on average",
                "raise DeviceStateIntervalSeconds or request a table quota increase"));

        PipelineSettings.Processor processor = settings.processor();
        if (processor.deployed()) {
            double itemBytes = model.aggregateItemBytes(fleet);
            checks.add(atMost(
                    "DynamoDB aggregates table writes (WRU/s)",
                    work.aggregateWritesPerSecond() * Math.ceil(itemBytes / CostModel.KIB),
                    tableWrites,
                    "write units per second on average (window closes bunch up: peaks are higher)",
                    "fewer resolutions, a longer MAX_OPEN_SECONDS, or a table quota increase"));
            checks.add(atMost(
                    "DynamoDB aggregates table reads (RRU/s)",
                    work.aggregateReadsPerSecond() * Math.ceil(itemBytes / (4 * CostModel.KIB)),
                    tableReads,
                    "read units per second on average (strongly consistent, before re-writing a window after a forced"
                            + " flush)",
                    "request a table quota increase"));

            int tasks = work.processorTasks();
            checks.add(new CapacityCheck(
                    "KCL workers per shard",
                    tasks,
                    work.shards(),
                    tasks <= work.shards(),
                    tasks + " stream-processor tasks for " + work.shards() + " shards"
                            + (tasks <= work.shards()
                                    ? " (a KCL worker leases one or more shards)"
                                    : ": " + (tasks - work.shards()) + " tasks would hold no lease"),
                    "https://docs.aws.amazon.com/streams/latest/dev/kcl-concepts.html"));
            double heapPerTask = processor.memoryGb() * CostModel.GIB * assumptions.processorHeapShareOfMemory();
            int tasksNeeded = work.processorTasksNeeded();
            boolean fits = tasksNeeded <= processor.minTasks();
            checks.add(new CapacityCheck(
                    "stream-processor tasks the fleet needs (memory, CPU)",
                    tasksNeeded,
                    processor.minTasks(),
                    fits,
                    String.format(
                            Locale.ROOT,
                            "%,.0f MB of open windows and readings not yet checkpointed (MAX_OPEN_SECONDS %d) and"
                                    + " %,.0f readings/s need %d tasks of %s GB / %s vCPU; the service runs %d to %d%s",
                            work.processorHeapBytesNeeded() / 1048576,
                            settings.aggregation().maxOpenSeconds(),
                            fleet.readingsPerSecond(),
                            tasksNeeded,
                            ModelAssumptions.fmt(processor.memoryGb()),
                            ModelAssumptions.fmt(processor.vcpu()),
                            processor.minTasks(),
                            processor.maxTasks(),
                            fits
                                    ? ""
                                    : tasksNeeded <= processor.maxTasks()
                                            ? ": autoscaling follows CPU, not memory: set StreamProcessorDesiredCount >= "
                                                    + tasksNeeded + " (priced at " + tasksNeeded + ")"
                                            : ": set StreamProcessorDesiredCount and StreamProcessorMaxCount >= "
                                                    + tasksNeeded + " (priced at " + tasksNeeded
                                                    + "), or a lower MAX_OPEN_SECONDS"),
                    "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html"));
            checks.add(new CapacityCheck(
                    "stream-processor tasks within StreamProcessorMaxCount",
                    tasks,
                    processor.maxTasks(),
                    tasks <= processor.maxTasks(),
                    tasks + " tasks priced, " + processor.maxTasks() + " allowed"
                            + (tasks <= processor.maxTasks() ? "" : ": raise StreamProcessorMaxCount (at most 50)")
                            + "; "
                            + String.format(Locale.ROOT, "%,.0f MB of heap per task", heapPerTask / 1048576),
                    "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-auto-scaling.html"));
        }
        return checks;
    }

    private static CapacityCheck atMost(String name, double value, Quota quota, String what, String remedy) {
        boolean ok = value <= quota.value();
        return new CapacityCheck(
                name,
                value,
                quota.value(),
                ok,
                String.format(
                        Locale.ROOT, "%,.2f %s, limit %,.0f%s", value, what, quota.value(), ok ? "" : ": " + remedy),
                quota.sourceUrl());
    }
}
