package io.github.iottelemetry.ingest;

import io.github.iottelemetry.core.validation.ValidationLimits;
import java.util.Map;

/**
 * The function's configuration, from the environment variables template.yaml sets. A missing or bad
 * variable fails the cold start with its name, instead of failing every record later.
 *
 * @param ioConcurrency how many DynamoDB and S3 requests one invocation keeps in flight
 * @param deviceStateIntervalSeconds a device's state is written at most once per this many seconds of its reading time
 *                                   ({@code DEVICE_STATE_INTERVAL_SECONDS}; 0, the default, writes every message's)
 * @param pathStyleS3 path-style bucket addressing, needed by local S3 engines; on by default when a
 *                    custom S3 endpoint is configured ({@code AWS_ENDPOINT_URL_S3} or {@code AWS_ENDPOINT_URL})
 */
public record IngestConfig(
        String deviceStateTable,
        String lakeBucket,
        ValidationLimits limits,
        int ioConcurrency,
        int deviceStateIntervalSeconds,
        boolean pathStyleS3) {
    static final int MAX_DEVICE_STATE_INTERVAL_SECONDS = 86_400;

    public static IngestConfig fromEnvironment(Map<String, String> env) {
        String table = required(env, "DEVICE_STATE_TABLE");
        String bucket = required(env, "LAKE_BUCKET");
        int concurrency = 32;
        String c = env.get("IO_CONCURRENCY");
        if (c != null && !c.isBlank()) {
            try {
                concurrency = Integer.parseInt(c.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "environment variable IO_CONCURRENCY=\"" + c + "\" is not a whole number");
            }
            if (concurrency < 1 || concurrency > 256) {
                throw new IllegalArgumentException(
                        "environment variable IO_CONCURRENCY=" + concurrency + " must be 1 to 256");
            }
        }
        int stateInterval = 0;
        String interval = env.get("DEVICE_STATE_INTERVAL_SECONDS");
        if (interval != null && !interval.isBlank()) {
            try {
                stateInterval = Integer.parseInt(interval.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("environment variable DEVICE_STATE_INTERVAL_SECONDS=\"" + interval
                        + "\" is not a whole number of seconds");
            }
            if (stateInterval < 0 || stateInterval > MAX_DEVICE_STATE_INTERVAL_SECONDS) {
                throw new IllegalArgumentException("environment variable DEVICE_STATE_INTERVAL_SECONDS=" + stateInterval
                        + " must be 0 to " + MAX_DEVICE_STATE_INTERVAL_SECONDS);
            }
        }
        String pathStyle = env.get("S3_PATH_STYLE");
        boolean customEndpoint = env.containsKey("AWS_ENDPOINT_URL_S3") || env.containsKey("AWS_ENDPOINT_URL");
        boolean usePathStyle =
                pathStyle == null || pathStyle.isBlank() ? customEndpoint : Boolean.parseBoolean(pathStyle.trim());
        return new IngestConfig(
                table, bucket, ValidationLimits.fromEnvironment(env), concurrency, stateInterval, usePathStyle);
    }

    private static String required(Map<String, String> env, String name) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException(
                    "environment variable " + name + " is not set (template.yaml sets it on IngestFunction)");
        }
        return v.trim();
    }
}
