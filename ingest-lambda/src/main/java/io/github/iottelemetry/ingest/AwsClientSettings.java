package io.github.iottelemetry.ingest;

import java.net.URI;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * Applies the standard AWS environment settings from an explicit map to a client builder: the same
 * variables the SDK reads from the process environment by itself ({@code AWS_REGION},
 * {@code AWS_ENDPOINT_URL[_SERVICE]}, credentials, S3 checksum modes). This lets a host that runs
 * the handler in-process (the local event source mapping, tests) hand it the function's environment
 * from template.yaml without touching its own.
 */
final class AwsClientSettings {
    private final Map<String, String> env;
    private final boolean explicitCredentials;

    /**
     * @param explicitCredentials take credentials from the map; off for the process environment, where
     *                            the SDK's default chain already reads (and refreshes) them
     */
    AwsClientSettings(Map<String, String> env, boolean explicitCredentials) {
        this.env = env;
        this.explicitCredentials = explicitCredentials;
    }

    <B extends AwsClientBuilder<B, ?>> B apply(B builder, String serviceEnvName) {
        String region = env.get("AWS_REGION");
        if (region != null && !region.isBlank()) {
            builder.region(Region.of(region));
        }
        String endpoint = env.getOrDefault(
                "AWS_ENDPOINT_URL_" + serviceEnvName.toUpperCase(Locale.ROOT), env.get("AWS_ENDPOINT_URL"));
        if (endpoint != null && !endpoint.isBlank()) {
            builder.endpointOverride(URI.create(endpoint));
        }
        String key = env.get("AWS_ACCESS_KEY_ID");
        String secret = env.get("AWS_SECRET_ACCESS_KEY");
        String token = env.get("AWS_SESSION_TOKEN");
        if (explicitCredentials && key != null && secret != null) {
            builder.credentialsProvider(StaticCredentialsProvider.create(
                    token == null
                            ? AwsBasicCredentials.create(key, secret)
                            : AwsSessionCredentials.create(key, secret, token)));
        }
        return builder;
    }

    S3ClientBuilder applyS3(S3ClientBuilder builder) {
        apply(builder, "S3");
        if ("when_required".equalsIgnoreCase(env.get("AWS_REQUEST_CHECKSUM_CALCULATION"))) {
            builder.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED);
        }
        if ("when_required".equalsIgnoreCase(env.get("AWS_RESPONSE_CHECKSUM_VALIDATION"))) {
            builder.responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        }
        return builder;
    }
}
