package io.github.iottelemetry.localcloud.lambda;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A function's Kinesis event source as SAM's {@code Events: {Type: Kinesis}} declares it, with Lambda's defaults
 * for what the template leaves out. ParallelizationFactor is always 1 here: one batch at a time per shard.
 *
 * @param maximumRetryAttempts -1 retries until the record expires (Lambda's default)
 * @param maximumRecordAge empty: records never expire (Lambda's default, -1)
 * @param onFailureDestination the ARN of the OnFailure destination, if any
 */
public record KinesisEventSource(
        String name,
        String streamArn,
        int batchSize,
        Duration maximumBatchingWindow,
        String startingPosition,
        Optional<Instant> startingTimestamp,
        boolean bisectBatchOnFunctionError,
        int maximumRetryAttempts,
        Optional<Duration> maximumRecordAge,
        boolean reportBatchItemFailures,
        Optional<String> onFailureDestination,
        boolean enabled) {

    public String streamName() {
        return streamArn.substring(streamArn.indexOf(":stream/") + ":stream/".length());
    }

    /** The account and region part of the stream ARN, for the ARNs in events and failure records. */
    public String region() {
        return streamArn.split(":")[3];
    }

    public KinesisEventSource withBatching(int size, Duration window) {
        return new KinesisEventSource(
                name,
                streamArn,
                size,
                window,
                startingPosition,
                startingTimestamp,
                bisectBatchOnFunctionError,
                maximumRetryAttempts,
                maximumRecordAge,
                reportBatchItemFailures,
                onFailureDestination,
                enabled);
    }

    public KinesisEventSource withErrorHandling(
            boolean bisect, int retries, Optional<Duration> recordAge, boolean itemFailures) {
        return new KinesisEventSource(
                name,
                streamArn,
                batchSize,
                maximumBatchingWindow,
                startingPosition,
                startingTimestamp,
                bisect,
                retries,
                recordAge,
                itemFailures,
                onFailureDestination,
                enabled);
    }

    /** Lambda's defaults (batch 100, no window, no bisect, infinite retries and age) for a stream. */
    public static KinesisEventSource defaults(String name, String streamArn, String startingPosition) {
        return new KinesisEventSource(
                name,
                streamArn,
                100,
                Duration.ZERO,
                startingPosition,
                Optional.empty(),
                false,
                -1,
                Optional.empty(),
                false,
                Optional.empty(),
                true);
    }

    /** From the resolved {@code Properties} of a SAM Kinesis event. */
    static KinesisEventSource fromSam(String name, Map<String, Object> properties) {
        Object stream = properties.get("Stream");
        if (!(stream instanceof String arn) || !arn.contains(":stream/")) {
            throw new IllegalArgumentException(
                    "event " + name + ": Stream must resolve to a Kinesis stream ARN, got " + stream);
        }
        int retries = intValue(properties, "MaximumRetryAttempts", -1);
        int age = intValue(properties, "MaximumRecordAgeInSeconds", -1);
        Optional<String> destination = Optional.empty();
        if (properties.get("DestinationConfig") instanceof Map<?, ?> config
                && config.get("OnFailure") instanceof Map<?, ?> onFailure
                && onFailure.get("Destination") != null) {
            destination = Optional.of(String.valueOf(onFailure.get("Destination")));
        }
        Optional<Instant> timestamp = Optional.ofNullable(properties.get("StartingPositionTimestamp"))
                .map(value -> Instant.ofEpochMilli((long) (Double.parseDouble(String.valueOf(value)) * 1000)));
        return new KinesisEventSource(
                name,
                arn,
                intValue(properties, "BatchSize", 100),
                Duration.ofSeconds(intValue(properties, "MaximumBatchingWindowInSeconds", 0)),
                String.valueOf(properties.getOrDefault("StartingPosition", "LATEST")),
                timestamp,
                Boolean.parseBoolean(String.valueOf(properties.getOrDefault("BisectBatchOnFunctionError", "false"))),
                retries,
                age < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(age)),
                properties.get("FunctionResponseTypes") instanceof java.util.List<?> types
                        && types.contains("ReportBatchItemFailures"),
                destination,
                !"false".equals(String.valueOf(properties.getOrDefault("Enabled", "true"))));
    }

    private static int intValue(Map<String, Object> properties, String key, int fallback) {
        Object value = properties.get(key);
        return value == null ? fallback : (int) Double.parseDouble(String.valueOf(value));
    }
}
