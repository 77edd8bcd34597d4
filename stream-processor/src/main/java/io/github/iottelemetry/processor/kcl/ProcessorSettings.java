package io.github.iottelemetry.processor.kcl;

import io.github.iottelemetry.core.validation.ValidationLimits;
import io.github.iottelemetry.processor.output.dynamodb.AggregatesTimeToLive;
import io.github.iottelemetry.processor.window.AggregationSettings;
import java.time.Duration;

/**
 * Everything a worker needs, resolved from flags and environment (names as in template.yaml's task).
 *
 * @param leaseTimings shorter lease failover and sync intervals: for tests and local runs
 */
public record ProcessorSettings(
        String streamName,
        String applicationName,
        String aggregatesTable,
        String lakeBucket,
        String workerId,
        AggregationSettings aggregation,
        ValidationLimits limits,
        RetrievalMode retrieval,
        Duration pollInterval,
        boolean cloudWatchMetrics,
        boolean fromLatest,
        boolean fastLeases,
        AggregatesTimeToLive aggregatesTimeToLive,
        int writeThreads) {}
