package io.github.iottelemetry.localcloud.provision;

import io.github.iottelemetry.localcloud.provision.ProvisioningReport.Outcome;
import io.github.iottelemetry.localcloud.provision.ProvisioningReport.ProvisionedResource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;

/**
 * Creates a plan's streams, tables and buckets in the local engines. What already exists is reused
 * (state survives restarts), so provisioning every start is cheap and idempotent.
 */
public final class Provisioner {

    private static final Duration ACTIVE_TIMEOUT = Duration.ofSeconds(30);

    private final KinesisClient kinesis;
    private final DynamoDbClient dynamoDb;
    private final S3Client s3;

    public Provisioner(KinesisClient kinesis, DynamoDbClient dynamoDb, S3Client s3) {
        this.kinesis = kinesis;
        this.dynamoDb = dynamoDb;
        this.s3 = s3;
    }

    public ProvisioningReport apply(LocalResourcePlan plan) {
        List<ProvisionedResource> done = new ArrayList<>();
        List<String> existingStreams = kinesis.listStreams().streamNames();
        for (StreamSpec stream : plan.streams()) {
            done.add(provision(plan, stream.logicalId(), () -> createStream(stream, existingStreams)));
        }
        List<String> existingTables = dynamoDb.listTables().tableNames();
        for (TableSpec table : plan.tables()) {
            done.add(provision(plan, table.logicalId(), () -> createTable(table, existingTables)));
        }
        for (BucketSpec bucket : plan.buckets()) {
            done.add(provision(plan, bucket.logicalId(), () -> createBucket(bucket)));
        }
        return new ProvisioningReport(
                plan.sourceName(), done, plan.notEmulated(), plan.resourceEnvironment(), plan.leftOutByCondition());
    }

    private ProvisionedResource provision(
            LocalResourcePlan plan, String logicalId, java.util.function.Supplier<ProvisionedResource> action) {
        try {
            return action.get();
        } catch (SdkException e) {
            throw new ProvisioningException(
                    plan.sourceName() + " resource " + logicalId + ": the local engine refused it: " + e.getMessage(),
                    e);
        }
    }

    private ProvisionedResource createStream(StreamSpec stream, List<String> existing) {
        String detail = stream.shardCount()
                + (stream.shardCount() == 1 ? " shard" : " shards")
                + (stream.onDemand() ? ", on-demand: AWS's initial on-demand capacity" : "");
        if (existing.contains(stream.name())) {
            int shards = kinesis.describeStreamSummary(request -> request.streamName(stream.name()))
                    .streamDescriptionSummary()
                    .openShardCount();
            return new ProvisionedResource(
                    stream.logicalId(),
                    ResourcePlanner.STREAM,
                    stream.name(),
                    Outcome.REUSED,
                    shards + (shards == 1 ? " shard" : " shards"));
        }
        kinesis.createStream(request -> request.streamName(stream.name()).shardCount(stream.shardCount()));
        awaitActive(
                "stream " + stream.name(),
                () -> kinesis.describeStreamSummary(request -> request.streamName(stream.name()))
                                .streamDescriptionSummary()
                                .streamStatus()
                        == StreamStatus.ACTIVE);
        return new ProvisionedResource(
                stream.logicalId(), ResourcePlanner.STREAM, stream.name(), Outcome.CREATED, detail);
    }

    /** Streams and tables answer CREATING first, on AWS as on the local engines: they take data once ACTIVE. */
    private static void awaitActive(String resource, BooleanSupplier active) {
        long deadline = System.nanoTime() + ACTIVE_TIMEOUT.toNanos();
        while (!active.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new ProvisioningException(
                        resource + " did not become ACTIVE within " + ACTIVE_TIMEOUT.toSeconds() + " s");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ProvisioningException("interrupted while waiting for " + resource + " to become ACTIVE", e);
            }
        }
    }

    private ProvisionedResource createTable(TableSpec table, List<String> existing) {
        Outcome outcome = Outcome.REUSED;
        if (!existing.contains(table.name())) {
            try {
                dynamoDb.createTable(table.request());
                outcome = Outcome.CREATED;
            } catch (ResourceInUseException createdMeanwhile) {
                // Another client created it between listing and creating: reuse it.
            }
        }
        awaitActive(
                "table " + table.name(),
                () -> dynamoDb.describeTable(request -> request.tableName(table.name()))
                                .table()
                                .tableStatus()
                        == TableStatus.ACTIVE);
        table.timeToLiveAttribute().ifPresent(attribute -> enableTimeToLive(table.name(), attribute));
        List<String> details = new ArrayList<>();
        details.add(table.request().keySchema().stream()
                .map(key -> key.attributeName() + " " + key.keyTypeAsString())
                .collect(Collectors.joining(", ")));
        details.add(table.request().billingModeAsString());
        table.request().globalSecondaryIndexes().forEach(index -> details.add("GSI " + index.indexName()));
        table.request().localSecondaryIndexes().forEach(index -> details.add("LSI " + index.indexName()));
        table.timeToLiveAttribute().ifPresent(attribute -> details.add("TTL " + attribute));
        return new ProvisionedResource(
                table.logicalId(),
                "AWS::DynamoDB::Table",
                table.name(),
                outcome,
                String.join(", ", details),
                table.notApplied());
    }

    private void enableTimeToLive(String tableName, String attribute) {
        TimeToLiveStatus status = dynamoDb.describeTimeToLive(request -> request.tableName(tableName))
                .timeToLiveDescription()
                .timeToLiveStatus();
        if (status != TimeToLiveStatus.ENABLED && status != TimeToLiveStatus.ENABLING) {
            dynamoDb.updateTimeToLive(request -> request.tableName(tableName)
                    .timeToLiveSpecification(ttl -> ttl.attributeName(attribute).enabled(true)));
        }
    }

    private ProvisionedResource createBucket(BucketSpec bucket) {
        try {
            s3.headBucket(request -> request.bucket(bucket.name()));
            return new ProvisionedResource(
                    bucket.logicalId(), ResourcePlanner.BUCKET, bucket.name(), Outcome.REUSED, "");
        } catch (NoSuchBucketException absent) {
            try {
                s3.createBucket(request -> request.bucket(bucket.name()));
            } catch (BucketAlreadyOwnedByYouException createdMeanwhile) {
                return new ProvisionedResource(
                        bucket.logicalId(), ResourcePlanner.BUCKET, bucket.name(), Outcome.REUSED, "");
            }
            return new ProvisionedResource(
                    bucket.logicalId(), ResourcePlanner.BUCKET, bucket.name(), Outcome.CREATED, "");
        }
    }
}
