package io.github.iottelemetry.processor.cli;

import io.github.iottelemetry.core.validation.ValidationLimits;
import io.github.iottelemetry.core.window.Resolution;
import io.github.iottelemetry.processor.output.dynamodb.AggregatesTimeToLive;
import io.github.iottelemetry.processor.window.AggregationSettings;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * Where aggregates go and how windows are formed: the same flags and environment variables for the worker
 * and for {@code replay}, so a replay folds and writes exactly as the worker does.
 */
final class AggregatesOptions {
    @Option(
            names = "--aggregates-table",
            defaultValue = "${env:AGGREGATES_TABLE}",
            description = "env AGGREGATES_TABLE")
    String aggregatesTable;

    @Option(names = "--lake-bucket", defaultValue = "${env:LAKE_BUCKET}", description = "env LAKE_BUCKET")
    String lakeBucket;

    @Option(
            names = "--resolutions",
            defaultValue = "${env:AGGREGATION_RESOLUTIONS:-1m}",
            description = "Window sizes, e.g. 1m,1h (env AGGREGATION_RESOLUTIONS, default ${DEFAULT-VALUE}).")
    String resolutions;

    @Option(
            names = "--idle-timeout-seconds",
            defaultValue = "${env:IDLE_TIMEOUT_SECONDS:-60}",
            description = "A shard that delivers nothing this long closes all its windows (default ${DEFAULT-VALUE}).")
    long idleTimeoutSeconds;

    @Option(
            names = "--max-open-seconds",
            defaultValue = "${env:MAX_OPEN_SECONDS:-300}",
            description =
                    "Open windows are written as partial aggregates at least this often, bounding replay (default ${DEFAULT-VALUE}).")
    long maxOpenSeconds;

    @Option(
            names = "--ttl-days",
            defaultValue = "${env:AGGREGATES_TTL_DAYS:-365}",
            description =
                    "expiresAt of aggregate items: window end plus this many days (env AGGREGATES_TTL_DAYS, default ${DEFAULT-VALUE}).")
    long ttlDays;

    @Option(
            names = "--short-window-ttl-days",
            defaultValue = "${env:AGGREGATES_SHORT_WINDOW_TTL_DAYS}",
            description =
                    "The same for windows shorter than an hour, such as 1m (env AGGREGATES_SHORT_WINDOW_TTL_DAYS, default --ttl-days).")
    Long shortWindowTtlDays;

    @Option(names = "--write-threads", defaultValue = "16", description = "Concurrent DynamoDB and S3 writes.")
    int writeThreads;

    AggregationSettings aggregation(ValidationLimits limits) {
        return new AggregationSettings(
                Resolution.parseList(resolutions),
                limits.allowedLateness(),
                Duration.ofSeconds(idleTimeoutSeconds),
                Duration.ofSeconds(maxOpenSeconds));
    }

    AggregatesTimeToLive timeToLive() {
        return new AggregatesTimeToLive(
                Duration.ofDays(shortWindowTtlDays == null ? ttlDays : shortWindowTtlDays), Duration.ofDays(ttlDays));
    }
}
