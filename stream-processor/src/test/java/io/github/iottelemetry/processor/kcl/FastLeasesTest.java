package io.github.iottelemetry.processor.kcl;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.kinesis.leases.LeaseManagementConfig;

/** Fast leases (local runs and tests): a dead worker's leases move in seconds, live workers rebalance as by default. */
class FastLeasesTest {

    @Test
    void deadWorkersFailOverInSecondsButLiveWorkersRebalanceEveryMinuteAsWithKclDefaults() {
        try (DynamoDbAsyncClient dynamo = DynamoDbAsyncClient.builder()
                        .region(Region.US_EAST_1)
                        .credentialsProvider(AnonymousCredentialsProvider.create())
                        .build();
                KinesisAsyncClient kinesis = KinesisAsyncClient.builder()
                        .region(Region.US_EAST_1)
                        .credentialsProvider(AnonymousCredentialsProvider.create())
                        .build()) {
            LeaseManagementConfig defaults = new LeaseManagementConfig("t", "app", dynamo, kinesis, "w");
            LeaseManagementConfig fast = new LeaseManagementConfig("t", "app", dynamo, kinesis, "w");
            StreamProcessorApplication.fastLeases(fast);

            assertThat(fast.failoverTimeMillis()).isEqualTo(3_000);
            assertThat(fast.failoverTimeMillis()).isLessThan(defaults.failoverTimeMillis());
            assertThat(balancingPeriodMillis(fast)).isEqualTo(balancingPeriodMillis(defaults));
            assertThat(balancingPeriodMillis(defaults)).isEqualTo(60_000);
        }
    }

    /** How often KCL's leader balances live workers' load: every varianceBalancingFrequency-th assignment run. */
    private static long balancingPeriodMillis(LeaseManagementConfig config) {
        return config.leaseAssignmentIntervalMillis()
                * config.workerUtilizationAwareAssignmentConfig().varianceBalancingFrequency();
    }
}
