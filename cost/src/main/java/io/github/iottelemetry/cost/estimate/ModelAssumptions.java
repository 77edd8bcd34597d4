package io.github.iottelemetry.cost.estimate;

import java.util.List;

/**
 * What the model assumes where neither the template nor the fleet says: how long a Lambda batch takes, how well
 * the lake compresses, how big the DynamoDB items are, which Athena queries run. Each value is printed with the
 * estimate, so a reader sees what the figures rest on; {@link #standard()} holds the values the project states.
 */
public record ModelAssumptions(
    double hoursPerMonth,
    double lambdaMillisPerInvocation,
    double lambdaMillisPerRecord,
    double rawGzipRatio,
    double parquetBytesPerRow,
    int deviceStateItemBaseBytes,
    int deviceStateItemBytesPerMetric,
    int aggregateItemBaseBytes,
    int aggregateItemBytesPerMetric,
    int dynamoItemOverheadBytes,
    int emfCustomMetrics,
    int lambdaLogBytesPerInvocation,
    int processorLogBytesPerTaskMinute,
    double cloudWatchLogCompression,
    int assumedLogRetentionDays,
    int dashboardQueriesPerHour,
    int reportQueriesPerDay,
    int rawAdHocQueriesPerDay,
    double onDemandShardHeadroom,
    int openWindowBytesPerMetric,
    double processorHeapShareOfMemory) {

  /** The values the project states (README "Cost" section). */
  public static ModelAssumptions standard() {
    return new ModelAssumptions(730, 25, 0.5, 0.2, 24, 150, 30, 250, 120, 100, 20, 1024, 2048, 0.15, 30, 12, 1, 5, 2, 256, 0.5);
  }

  /** One line per assumption, for the report. */
  public List<String> describe() {
    return List.of(
        "a month is " + fmt(hoursPerMonth) + " hours; every device stays connected all month; no free tier; first price tier only",
        "an ingest Lambda batch takes " + fmt(lambdaMillisPerInvocation) + " ms plus " + fmt(lambdaMillisPerRecord)
            + " ms per record (validate, conditional DynamoDB writes, one S3 PUT); no record fails or is retried",
        "Lambda polls each shard once a second when no batching window is set; with ParallelizationFactor p a shard's"
            + " records split into p concurrent batches",
        "an on-demand stream holds " + fmt(onDemandShardHeadroom) + "x the shards its write rate needs (it scales to double"
            + " its peak), at least 4; both consumers (ingest Lambda, stream processor) read with shared throughput (no enhanced fan-out)",
        "device-state item " + deviceStateItemBaseBytes + " B + " + deviceStateItemBytesPerMetric
            + " B per metric, written once per device per Lambda batch (coalesced); aggregate item " + aggregateItemBaseBytes
            + " B + " + aggregateItemBytesPerMetric + " B per metric, written once per device, resolution and window when"
            + " it closes; DynamoDB adds " + dynamoItemOverheadBytes + " B per item of storage; aggregates kept for DataRetentionDays",
        "raw archive gzip JSON lines at " + fmt(rawGzipRatio * 100) + "% of the record bytes, one object per Lambda batch;"
            + " Parquet " + fmt(parquetBytesPerRow) + " B per (device, metric, window) row, one object per shard, resolution and window",
        "Athena query mix: " + dashboardQueriesPerHour + " dashboard queries an hour over the last hour of the finest"
            + " aggregates, " + reportQueriesPerDay + " daily report over the last day of them, " + rawAdHocQueriesPerDay
            + " ad-hoc queries a day over one hour of raw data; 10 MB minimum per query",
        "CloudWatch: " + emfCustomMetrics + " EMF custom metrics (ingest Lambda and stream processor, no per-device"
            + " dimensions), " + lambdaLogBytesPerInvocation + " B of logs per Lambda batch, " + processorLogBytesPerTaskMinute
            + " B per processor task a minute; stored logs compress to " + fmt(cloudWatchLogCompression * 100)
            + "%, kept for the template's log-group retention or " + assumedLogRetentionDays + " days",
        "a rule's CloudWatch metric action makes one PutMetricData call per message and one custom metric",
        "the stream processor keeps " + openWindowBytesPerMetric + " B per open (device, metric, window) and may use "
            + fmt(processorHeapShareOfMemory * 100) + "% of task memory for them");
  }

  static String fmt(double value) {
    return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
  }
}
