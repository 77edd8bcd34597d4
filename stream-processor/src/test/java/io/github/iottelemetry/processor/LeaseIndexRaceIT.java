package io.github.iottelemetry.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.iottelemetry.localcloud.LocalCloud;
import io.github.iottelemetry.localcloud.LocalCloudExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * A worker that loses the race to create the lease table's LeaseOwnerToLeaseKeyIndex (two workers of a new
 * application starting together, on a lease table KCL created without it) must still report its worker metrics and
 * take leases. Within one KCL scheduler the retried initialization skips both, so the worker ran and never got a
 * shard (or, as the leader, assigned none); the worker now starts a fresh scheduler instead.
 */
@ExtendWith(LocalCloudExtension.class)
class LeaseIndexRaceIT {
    private static final int SHARDS = 4;

    @AutoClose
    private LocalWorkers workers;

    @Test
    void theRaceLoserStillTakesEveryLease(LocalCloud cloud) throws Exception {
        String run = "race" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
        DynamoDbClient dynamo = cloud.dynamoDb();
        Path logs = Path.of("target", "it-workers");
        workers = new LocalWorkers(cloud.environment(), cloud.kinesis(), dynamo, run, SHARDS, logs, false);
        Path interceptor = LeaseIndexRace.classpath(Files.createTempDirectory(Path.of("target"), "lease-index-race"));

        // The only worker: if it does not assign the leases as the leader, nobody does.
        workers.start(run + "-loser", Map.of(), interceptor);
        Map<String, String> owners = workers.awaitEveryShardOwned(dynamo, SHARDS, Duration.ofSeconds(90));

        String log = Files.readString(logs.resolve(run + "-loser.log"));
        assertThat(log)
                .as("the race happened: the worker's index creation was refused and its scheduler replaced")
                .contains("lease-index race: the other worker created LeaseOwnerToLeaseKeyIndex first")
                .contains("Attempting to create an index which already exists")
                .contains("starting scheduler 2 of");
        assertThat(owners.values()).containsOnly(run + "-loser");
    }
}
