package io.github.iottelemetry.cost.estimate;

import java.util.List;

/**
 * What the model assumes where neither the template nor the fleet says: how long a Lambda batch takes, how well
 * the lake compresses, how big the DynamoDB items are, which Athena queries run, how often KCL touches its lease
 * table. Each value is printed with the estimate, so a reader sees what the figures rest on; {@link #standard()}
 * holds the values the project states, and says where each was measured.
 */
public record ModelAssumptions(
        double hoursPerMonth,
        double lambdaMillisPerInvocation,
        double lambdaMillisPerRecord,
        double lambdaMillisPerStateWrite,
        double shardHeadroom,
        double quarantinedShare,
        double rawGzipRatio,
        double parquetBytesPerRow,
        double parquetBytesPerObject,
        int parquetGetsPerObjectScanned,
        int deviceStateItemBaseBytes,
        int deviceStateItemBytesPerMetric,
        int aggregateItemBaseBytes,
        int aggregateItemBytesPerMetric,
        int dynamoItemOverheadBytes,
        int ttlDeleteLagDays,
        double leaseRenewalSeconds,
        double checkpointSeconds,
        double workerMetricsSeconds,
        int emfCustomMetrics,
        int kclMetricsPerShard,
        int kclMetricsPerApplication,
        int kclMetricsFlushSeconds,
        int lambdaLogBytesPerInvocation,
        int processorLogBytesPerTaskMinute,
        double cloudWatchLogCompression,
        int assumedLogRetentionDays,
        int dashboardQueriesPerHour,
        int reportQueriesPerDay,
        int rawAdHocQueriesPerDay,
        int athenaResultBytesPerQuery,
        int openWindowBytesPerMetric,
        int pendingBytesPerReading,
        double processorHeapShareOfMemory,
        double processorReadingsPerVcpuSecond,
        double kmsRequestsPerCredentialHour,
        double imageGb) {

    /** The values the project states (README "Cost" section); measured ones say how. */
    public static ModelAssumptions standard() {
        return new ModelAssumptions(
                730, // hours in a month
                25, // ms per ingest batch: one S3 PUT of the raw object and the handler's fixed work
                0.05, // ms per record: decode, validate, gzip (decode + validate of 500 records measured at 2 ms,
                // README "Measured")
                0.2, // ms per device-state write: a conditional PutItem of ~6 ms with 32 in flight (IO_CONCURRENCY)
                2, // shards a stream holds over what its write rate needs
                0.001, // share of records quarantined (one object each)
                0.135, // raw archive gzip / record bytes: 0.135 measured on 500 and 1,000 records of 10 readings x 4
                // metrics
                24, // Parquet bytes per row (21 B measured at 25,000 rows, 32 B at 2,500)
                8192, // Parquet bytes per object besides its rows (footer, dictionaries)
                3, // GET requests Athena makes per Parquet object it reads (footer, then column chunks)
                98,
                13, // device-state item: 98 B + 13 B per metric (148 B measured for 4 metrics)
                135,
                172, // aggregate item: 135 B + 172 B per metric (821 B measured for 4 metrics of a 1-minute window)
                100, // DynamoDB storage overhead per item
                2, // days an expired item stays (and is billed) before DynamoDB's TTL deletes it
                10.0 / 3, // KCL renews each lease every failover time / 3 (failoverTimeMillis 10 s)
                60, // the processor checkpoints a shard about once a minute (when its windows are durable)
                30, // KCL 3 writes each worker's metrics to the lease table every 30 s
                14, // EMF custom metrics: 8 per ingest batch (IngestMetrics) + QuarantinedByReason for the 6 reasons
                5,
                15, // KCL SUMMARY-level metrics: 5 per shard (ShardId dimension), 15 for the application
                10, // KCL flushes its metrics every 10 s, 20 data points per PutMetricData request
                1024, // log bytes per ingest batch (START/END/REPORT and one summary line)
                2048, // log bytes per processor task a minute
                0.15, // stored logs compress to this share of the ingested bytes
                30, // log retention when the template sets none
                12,
                1,
                5, // Athena: 12 dashboard queries an hour, 1 daily report, 5 ad-hoc raw queries a day
                10_240, // bytes of results an Athena query writes
                256, // processor heap per open (device, metric, window)
                100, // processor heap per reading it keeps until the checkpoint passes it (for exact deltas)
                0.5, // share of task memory the processor's heap may use for them
                500_000, // readings a processor vCPU folds and writes a second (a third of the core's 1.3-2.3 M, README
                // "Measured")
                12, // KMS requests per credential an hour: Kinesis and DynamoDB re-encrypt data keys about every 5
                // minutes
                0.2); // GB of one stream-processor image in the repository
    }

    /** One line per assumption, for the report. */
    public List<String> describe() {
        return List.of(
                "a month is " + fmt(hoursPerMonth)
                        + " hours; every device stays connected all month; no free tier; first price tier only",
                "an ingest Lambda batch takes " + fmt(lambdaMillisPerInvocation) + " ms plus "
                        + fmt(lambdaMillisPerRecord)
                        + " ms per record (decode, validate, gzip) plus " + fmt(lambdaMillisPerStateWrite)
                        + " ms per device-state write (conditional PutItem, 32 in flight); "
                        + fmt(quarantinedShare * 100)
                        + "% of records are quarantined (one S3 object each); no record is retried",
                "Lambda polls each shard once a second when no batching window is set; with ParallelizationFactor p a shard's"
                        + " records split into p concurrent batches; a batch holds at most 6 MB (base64)",
                "a stream holds " + fmt(shardHeadroom)
                        + "x the shards its write rate needs (1 MB/s and 1,000 records/s each,"
                        + " on the record bytes), at least 4 on demand; the recommended ShardCount has the same headroom; both consumers"
                        + " read with shared throughput (no enhanced fan-out), on-demand reads billed on the bytes read",
                "device-state item " + deviceStateItemBaseBytes + " B + " + deviceStateItemBytesPerMetric
                        + " B per metric; aggregate"
                        + " item " + aggregateItemBaseBytes + " B + " + aggregateItemBytesPerMetric
                        + " B per metric (measured on the"
                        + " processor's item schema with DynamoDB's size rules); every aggregate write is a conditional PutItem,"
                        + " after a strongly consistent GetItem only when the worker wrote the window before (a window"
                        + " is written when it closes and again at every forced flush (MAX_OPEN_SECONDS) while open; its"
                        + " first write creates the item without a read); a lake object's first PUT creates it without a"
                        + " GET; DynamoDB adds " + dynamoItemOverheadBytes
                        + " B per stored item and deletes"
                        + " expired items " + ttlDeleteLagDays + " days after expiresAt",
                "KCL renews each lease every " + fmt(Math.round(leaseRenewalSeconds * 10) / 10.0)
                        + " s, checkpoints a shard every "
                        + fmt(checkpointSeconds) + " s and writes each worker's metrics every "
                        + fmt(workerMetricsSeconds)
                        + " s (one write unit each); its leader scans the lease table every 20 s",
                "raw archive gzip JSON lines at " + fmt(rawGzipRatio * 100)
                        + "% of the record bytes, one object per Lambda batch;"
                        + " Parquet " + fmt(parquetBytesPerRow) + " B per (device, metric, window) row + "
                        + fmt(parquetBytesPerObject)
                        + " B per object, one object per resolution, window and device bucket (16), read (GET) and put by every shard"
                        + " whose devices it holds, the replaced version kept as noncurrent",
                "Athena query mix: " + dashboardQueriesPerHour
                        + " dashboard queries an hour over the last hour of the finest"
                        + " aggregates, " + reportQueriesPerDay + " daily report over the last day of them, "
                        + rawAdHocQueriesPerDay
                        + " ad-hoc queries a day over one hour of raw data; 10 MB minimum per query; "
                        + parquetGetsPerObjectScanned
                        + " GETs per Parquet object and 1 per raw object read; " + athenaResultBytesPerQuery
                        + " B of results per query",
                "CloudWatch: " + emfCustomMetrics
                        + " EMF custom metrics from the ingest function (no per-device dimensions); KCL at"
                        + " SUMMARY level " + kclMetricsPerShard + " metrics per shard and " + kclMetricsPerApplication
                        + " for the"
                        + " application, flushed every " + kclMetricsFlushSeconds + " s; " + lambdaLogBytesPerInvocation
                        + " B of logs per Lambda batch, " + processorLogBytesPerTaskMinute
                        + " B per processor task a minute; stored logs"
                        + " compress to " + fmt(cloudWatchLogCompression * 100)
                        + "%, kept for the template's log-group retention or "
                        + assumedLogRetentionDays + " days",
                "a rule's CloudWatch metric action makes one PutMetricData call per message and one custom metric; X-Ray records"
                        + " the first invocation each second and 5% of the others (Lambda's default sampling)",
                "the stream processor keeps " + openWindowBytesPerMetric + " B per open (device, metric, window) and "
                        + pendingBytesPerReading
                        + " B per reading not yet checkpointed (up to MAX_OPEN_SECONDS of them) within "
                        + fmt(processorHeapShareOfMemory * 100) + "% of task memory, and folds "
                        + fmt(processorReadingsPerVcpuSecond)
                        + " readings per vCPU-second; it runs max(the service's minimum, what those need) tasks",
                "KMS: every credential that writes or reads the stream or a table makes about "
                        + fmt(kmsRequestsPerCredentialHour) + " requests an hour; the image repository holds "
                        + fmt(imageGb) + " GB per image");
    }

    static String fmt(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
    }
}
