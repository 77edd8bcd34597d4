package io.github.iottelemetry.sim.cli;

import java.net.URI;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iot.IotClient;
import software.amazon.awssdk.services.iot.IotClientBuilder;

/** The IoT control-plane client: region and credentials from the SDK's chains, endpoint from flag or environment. */
final class AwsIot {

    /** Throttling backs off and retries this many times in all before a device's step counts as failed. */
    private static final int MAX_ATTEMPTS = 10;

    private AwsIot() {}

    static IotClient client(String region, URI endpointOverride) {
        IotClientBuilder builder = IotClient.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                        .maxAttempts(MAX_ATTEMPTS)
                        .build()));
        if (region != null) {
            builder.region(Region.of(region));
        }
        if (endpointOverride != null) {
            builder.endpointOverride(endpointOverride);
        }
        return builder.build();
    }
}
