package io.github.iottelemetry.localiot;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How to start the local IoT Core.
 *
 * @param stateDirectory where the CA ({@code iot/ca}), the broker's folders, the CloudWatch sink and the
 *     undeliverable log live; the CA persists across starts
 * @param template the template whose IoT policies and TopicRules to run
 * @param stackName and {@code parameterValues}: resolved exactly as the local cloud resolves them, so resource
 *     names (the stream, the bucket) agree
 * @param mqttPort the broker's port on 127.0.0.1; 0 picks a free one
 * @param insecurePlainTcp plain MQTT over TCP without client certificates instead of TLS; for debugging only
 * @param kinesisEndpoint and {@code s3Endpoint}, {@code region}, {@code accessKeyId}, {@code secretAccessKey}:
 *     where the rule actions send
 * @param kinesisLinger how long the Kinesis action waits to fill a PutRecords batch
 */
public record LocalIotOptions(
        Path stateDirectory,
        Path template,
        String stackName,
        Map<String, String> parameterValues,
        int mqttPort,
        boolean insecurePlainTcp,
        URI kinesisEndpoint,
        URI s3Endpoint,
        String region,
        String accessKeyId,
        String secretAccessKey,
        Duration kinesisLinger) {

    public static final Duration DEFAULT_KINESIS_LINGER = Duration.ofMillis(20);

    public LocalIotOptions {
        Objects.requireNonNull(stateDirectory, "stateDirectory");
        Objects.requireNonNull(template, "template");
        Objects.requireNonNull(stackName, "stackName");
        parameterValues = Map.copyOf(parameterValues);
        Objects.requireNonNull(kinesisEndpoint, "kinesisEndpoint");
        Objects.requireNonNull(s3Endpoint, "s3Endpoint");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(accessKeyId, "accessKeyId");
        Objects.requireNonNull(secretAccessKey, "secretAccessKey");
        Objects.requireNonNull(kinesisLinger, "kinesisLinger");
    }

    /** TLS on a free port, 20 ms linger. */
    public static LocalIotOptions of(
            Path stateDirectory,
            Path template,
            String stackName,
            Map<String, String> parameterValues,
            URI kinesisEndpoint,
            URI s3Endpoint,
            String region,
            String accessKeyId,
            String secretAccessKey) {
        return new LocalIotOptions(
                stateDirectory,
                template,
                stackName,
                parameterValues,
                0,
                false,
                kinesisEndpoint,
                s3Endpoint,
                region,
                accessKeyId,
                secretAccessKey,
                DEFAULT_KINESIS_LINGER);
    }

    public LocalIotOptions withMqttPort(int port) {
        return new LocalIotOptions(
                stateDirectory,
                template,
                stackName,
                parameterValues,
                port,
                insecurePlainTcp,
                kinesisEndpoint,
                s3Endpoint,
                region,
                accessKeyId,
                secretAccessKey,
                kinesisLinger);
    }

    public LocalIotOptions withInsecurePlainTcp(boolean insecure) {
        return new LocalIotOptions(
                stateDirectory,
                template,
                stackName,
                parameterValues,
                mqttPort,
                insecure,
                kinesisEndpoint,
                s3Endpoint,
                region,
                accessKeyId,
                secretAccessKey,
                kinesisLinger);
    }

    public Path caDirectory() {
        return stateDirectory.resolve("iot").resolve("ca");
    }
}
