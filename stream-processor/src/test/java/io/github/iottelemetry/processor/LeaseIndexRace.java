package io.github.iottelemetry.processor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.UpdateTableRequest;

/**
 * Plays the other worker of two that start together on a lease table without KCL's LeaseOwnerToLeaseKeyIndex: just
 * before this worker's request to create the index leaves, the same request is sent from another client, so the
 * engine has the index already and answers this worker as DynamoDB answers the race's loser (a validation error:
 * the index exists). Loaded into one worker JVM only, as an SDK global interceptor, by {@link #classpath}.
 */
public final class LeaseIndexRace implements ExecutionInterceptor {
    private static final String INDEX = "LeaseOwnerToLeaseKeyIndex";
    private static final AtomicBoolean RACED = new AtomicBoolean();

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes executionAttributes) {
        if (context.request() instanceof UpdateTableRequest update
                && update.globalSecondaryIndexUpdates().stream()
                        .anyMatch(u ->
                                u.create() != null && INDEX.equals(u.create().indexName()))
                && RACED.compareAndSet(false, true)) {
            try (DynamoDbClient otherWorker = DynamoDbClient.builder()
                    .httpClientBuilder(UrlConnectionHttpClient.builder())
                    .build()) {
                otherWorker.updateTable(update);
            }
            System.err.println("lease-index race: the other worker created " + INDEX + " first");
        }
    }

    /** A folder that, first on a worker's class path, turns this interceptor on for every SDK client of the JVM. */
    public static Path classpath(Path folder) throws IOException {
        Path services = folder.resolve("software/amazon/awssdk/global/handlers");
        Files.createDirectories(services);
        Files.writeString(services.resolve("execution.interceptors"), LeaseIndexRace.class.getName() + "\n");
        return folder;
    }
}
