package io.github.iottelemetry.cost.estimate;

/**
 * The rates a month of the pipeline is priced from, derived once from the fleet, the template's settings and the
 * assumptions: what each part of the stack does per second. The capacity checks compare the same figures with AWS
 * limits.
 *
 * @param messagesPerSecond MQTT messages, and Kinesis records, per second
 * @param readingsPerSecond readings per second
 * @param recordBytes bytes of one Kinesis record (payload plus the rule's fields)
 * @param shardsNeeded shards the write rate needs (1 MiB/s and 1,000 records/s each)
 * @param shards shards the stream has (ShardCount, or on demand what it scales to)
 * @param recommendedShardCount ShardCount for a provisioned stream with the model's headroom
 * @param batchStreams concurrent ingest batches at most (shards x ParallelizationFactor)
 * @param invocationsPerSecond ingest Lambda invocations per second
 * @param recordsPerInvocation Kinesis records per invocation
 * @param millisPerInvocation duration of one invocation
 * @param stateWritesPerSecond device-state writes per second
 * @param stateWriteIntervalSeconds how often one device's state is written
 * @param aggregateWritesPerSecond window writes to the aggregates table per second (each a conditional put)
 * @param aggregateReadsPerSecond strongly consistent reads of the aggregates table per second: before each write of a
 *     window the worker has written before (the close after a forced flush); a window's first write puts without one
 * @param lakeObjectWritesPerSecond Parquet object writes per second (each a PUT)
 * @param lakeObjectReadsPerSecond Parquet object GETs per second: before each write but an object's first (its
 *     creation)
 * @param lakeObjectCreateMissesPerSecond PUTs per second that find the object created by another shard's worker
 *     (where a device bucket spans shards) and fail, before that worker reads and merges
 * @param rawObjectsPerSecond raw-archive objects per second
 * @param rawObjectBytes bytes of one raw-archive object
 * @param processorTasks stream-processor tasks priced (the service's minimum, or more when the fleet needs them)
 * @param processorTasksNeeded tasks the fleet needs by memory and CPU
 * @param processorHeapBytesNeeded heap the open windows and not yet checkpointed readings take, all tasks together
 */
public record Workload(
        double messagesPerSecond,
        double readingsPerSecond,
        int recordBytes,
        int shardsNeeded,
        int shards,
        int recommendedShardCount,
        int batchStreams,
        double invocationsPerSecond,
        double recordsPerInvocation,
        double millisPerInvocation,
        double stateWritesPerSecond,
        double stateWriteIntervalSeconds,
        double aggregateWritesPerSecond,
        double aggregateReadsPerSecond,
        double lakeObjectWritesPerSecond,
        double lakeObjectReadsPerSecond,
        double lakeObjectCreateMissesPerSecond,
        double rawObjectsPerSecond,
        double rawObjectBytes,
        int processorTasks,
        int processorTasksNeeded,
        double processorHeapBytesNeeded) {}
