package io.github.iottelemetry.localcloud.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.iottelemetry.localcloud.AwsClients;
import io.github.iottelemetry.localcloud.EngineInstallation;
import io.github.iottelemetry.localcloud.LocalCloud;
import io.github.iottelemetry.localcloud.LocalCloudEndpoints;
import io.github.iottelemetry.localcloud.LocalCloudExtension;
import io.github.iottelemetry.localcloud.LocalCloudOptions;
import io.github.iottelemetry.localcloud.kinesis.KinesisEngine;
import io.github.iottelemetry.localcloud.process.ChildProcess;
import io.github.iottelemetry.localcloud.process.PortAssignment;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.IndexStatus;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

/**
 * What the local DynamoDB engine adds to dynalite, checked against the DynamoDB behaviour it models: Time to
 * Live (settings, errors, the sweep of expired items), a global secondary index created by UpdateTable over
 * existing items (how KCL adds its lease-owner index), and operations it lacks refused by name.
 */
class DynamoDbEngineIT {

    private static final Duration SWEEP = Duration.ofSeconds(1);

    @TempDir
    static Path state;

    private static int port;
    private static ChildProcess engine;
    private static DynamoDbClient dynamoDb;

    @BeforeAll
    static void start() {
        port = PortAssignment.freePort();
        engine = DynamoDbEngine.start(
                port,
                state.resolve("dynamodb"),
                false,
                SWEEP,
                state.resolve("dynalite.log"),
                EngineInstallation.locate());
        dynamoDb = AwsClients.dynamoDb(LocalCloudEndpoints.onLoopback(
                PortAssignment.freePort(), port, PortAssignment.freePort(), "us-east-1", KinesisEngine.KINESALITE));
    }

    @AfterAll
    static void stop() {
        dynamoDb.close();
        engine.close();
    }

    @Test
    void timeToLiveIsATableSettingWithDynamoDbsErrors() {
        String table = newTable();
        assertThat(ttlStatus(table)).isEqualTo(TimeToLiveStatus.DISABLED);

        enableTtl(table, "expiresAt");

        assertThat(dynamoDb.describeTimeToLive(request -> request.tableName(table))
                        .timeToLiveDescription())
                .satisfies(ttl -> {
                    assertThat(ttl.timeToLiveStatus()).isEqualTo(TimeToLiveStatus.ENABLED);
                    assertThat(ttl.attributeName()).isEqualTo("expiresAt");
                });
        assertThatThrownBy(() -> enableTtl(table, "expiresAt"))
                .isInstanceOf(DynamoDbException.class)
                .hasMessageContaining("TimeToLive is already enabled");
        assertThatThrownBy(() -> dynamoDb.updateTimeToLive(request -> request.tableName(table)
                        .timeToLiveSpecification(
                                ttl -> ttl.attributeName("other").enabled(false))))
                .isInstanceOf(DynamoDbException.class)
                .hasMessageContaining("current AttributeName is expiresAt");
        assertThatThrownBy(() -> ttlStatus("no-such-table")).isInstanceOf(ResourceNotFoundException.class);

        dynamoDb.updateTimeToLive(request -> request.tableName(table)
                .timeToLiveSpecification(ttl -> ttl.attributeName("expiresAt").enabled(false)));
        assertThat(ttlStatus(table)).isEqualTo(TimeToLiveStatus.DISABLED);
    }

    @Test
    void sweepDeletesItemsWhoseNumberAttributeIsPastAndNoOthers() {
        String table = newTable();
        enableTtl(table, "expiresAt");
        long now = Instant.now().getEpochSecond();
        put(table, "expired", Map.of("expiresAt", AttributeValue.fromN(Long.toString(now - 60))));
        put(table, "future", Map.of("expiresAt", AttributeValue.fromN(Long.toString(now + 3_600))));
        // DynamoDB leaves these alone: a value that is not a Number, one more than five years past, no value.
        put(table, "string", Map.of("expiresAt", AttributeValue.fromS(Long.toString(now - 60))));
        put(table, "ancient", Map.of("expiresAt", AttributeValue.fromN(Long.toString(now - 6L * 365 * 24 * 3600))));
        put(table, "none", Map.of());
        // Milliseconds by mistake: far in the future as seconds, so never expired.
        put(table, "millis", Map.of("expiresAt", AttributeValue.fromN(Long.toString(now * 1000 - 60_000))));

        awaitTrue("the expired item is swept", () -> !exists(table, "expired"));

        assertThat(dynamoDb.scan(request -> request.tableName(table).consistentRead(true))
                        .items())
                .extracting(item -> item.get("id").s())
                .containsExactlyInAnyOrder("future", "string", "ancient", "none", "millis");
    }

    @Test
    void updateTableCreatesAGlobalIndexOverExistingItemsAndDeletesIt() {
        String table = newTable();
        for (int i = 0; i < 20; i++) {
            put(table, "item-" + i, Map.of("owner", AttributeValue.fromS(i % 2 == 0 ? "even" : "odd")));
        }
        put(table, "numeric-owner", Map.of("owner", AttributeValue.fromN("7")));
        put(table, "no-owner", Map.of());

        var created = dynamoDb.updateTable(request -> request.tableName(table)
                .attributeDefinitions(
                        definition -> definition.attributeName("owner").attributeType(ScalarAttributeType.S))
                .globalSecondaryIndexUpdates(update -> update.create(index -> index.indexName("by-owner")
                        .keySchema(key -> key.attributeName("owner").keyType("HASH"))
                        .projection(projection -> projection.projectionType(ProjectionType.KEYS_ONLY)))));
        assertThat(created.tableDescription().globalSecondaryIndexes())
                .singleElement()
                .satisfies(index -> assertThat(index.indexStatus()).isEqualTo(IndexStatus.CREATING));

        awaitTrue(
                "the index is ACTIVE",
                () ->
                        dynamoDb
                                .describeTable(request -> request.tableName(table))
                                .table()
                                .globalSecondaryIndexes()
                                .stream()
                                .allMatch(index -> index.indexStatus() == IndexStatus.ACTIVE));
        assertThat(dynamoDb.describeTable(request -> request.tableName(table))
                        .table()
                        .tableStatus())
                .isEqualTo(TableStatus.ACTIVE);
        assertThat(queryOwner(table, "even")).hasSize(10).allMatch(id -> id.startsWith("item-"));
        put(table, "written-after", Map.of("owner", AttributeValue.fromS("even")));
        assertThat(queryOwner(table, "even")).hasSize(11).contains("written-after");

        assertThatThrownBy(() -> dynamoDb.updateTable(request -> request.tableName(table)
                        .globalSecondaryIndexUpdates(update -> update.create(index -> index.indexName("by-owner")
                                .keySchema(key -> key.attributeName("owner").keyType("HASH"))
                                .projection(projection -> projection.projectionType(ProjectionType.ALL))))))
                .isInstanceOf(DynamoDbException.class)
                .hasMessageContaining("index which already exists: by-owner");

        dynamoDb.updateTable(request -> request.tableName(table)
                .globalSecondaryIndexUpdates(update -> update.delete(index -> index.indexName("by-owner"))));
        assertThat(dynamoDb.describeTable(request -> request.tableName(table))
                        .table()
                        .globalSecondaryIndexes())
                .isEmpty();
    }

    @Test
    void anOperationTheEngineLacksIsRefusedByName() {
        String table = newTable();
        assertThatThrownBy(() -> dynamoDb.transactWriteItems(request -> request.transactItems(item ->
                        item.put(put -> put.tableName(table).item(Map.of("id", AttributeValue.fromS("x")))))))
                .isInstanceOf(DynamoDbException.class)
                .hasMessageContaining("TransactWriteItems: not implemented by dynalite");
        assertThatThrownBy(() -> dynamoDb.updateContinuousBackups(request -> request.tableName(table)
                        .pointInTimeRecoverySpecification(pitr -> pitr.pointInTimeRecoveryEnabled(true))))
                .isInstanceOf(DynamoDbException.class)
                .hasMessageContaining("UpdateContinuousBackups: not implemented by dynalite");
    }

    @Test
    void localCloudProvisionsIntoADynamoDbTheUserRunsAndStartsNoEngineOfItsOwn(@TempDir Path cloudState) {
        URI userDynamoDb = URI.create("http://127.0.0.1:" + port);
        LocalCloudOptions options = LocalCloudOptions.defaults(cloudState)
                .withStateDirectory(cloudState, true)
                .withTemplate(Optional.of(LocalCloudExtension.projectTemplate()), Map.of())
                .withFreePorts()
                .withDynamoDbEndpoint(Optional.of(userDynamoDb));
        try (LocalCloud cloud = LocalCloud.start(options)) {
            assertThat(cloud.environment()).containsEntry("AWS_ENDPOINT_URL_DYNAMODB", userDynamoDb.toString());
            assertThat(cloud.childProcesses()).as("Kinesis and S3 engines only").hasSize(2);
            assertThat(dynamoDb.listTables().tableNames())
                    .contains(
                            cloud.environment().get("DEVICE_STATE_TABLE"),
                            cloud.environment().get("AGGREGATES_TABLE"));
            assertThat(ttlStatus(cloud.environment().get("AGGREGATES_TABLE"))).isEqualTo(TimeToLiveStatus.ENABLED);
        }
    }

    private String newTable() {
        String table = "engine-" + UUID.randomUUID();
        dynamoDb.createTable(request -> request.tableName(table)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                        definition -> definition.attributeName("id").attributeType(ScalarAttributeType.S))
                .keySchema(key -> key.attributeName("id").keyType("HASH")));
        awaitTrue(
                "table " + table + " is ACTIVE",
                () -> dynamoDb.describeTable(request -> request.tableName(table))
                                .table()
                                .tableStatus()
                        == TableStatus.ACTIVE);
        return table;
    }

    private void enableTtl(String table, String attribute) {
        dynamoDb.updateTimeToLive(request -> request.tableName(table)
                .timeToLiveSpecification(ttl -> ttl.attributeName(attribute).enabled(true)));
    }

    private TimeToLiveStatus ttlStatus(String table) {
        return dynamoDb.describeTimeToLive(request -> request.tableName(table))
                .timeToLiveDescription()
                .timeToLiveStatus();
    }

    private void put(String table, String id, Map<String, AttributeValue> attributes) {
        var item = new java.util.HashMap<>(attributes);
        item.put("id", AttributeValue.fromS(id));
        dynamoDb.putItem(request -> request.tableName(table).item(item));
    }

    private boolean exists(String table, String id) {
        return dynamoDb.getItem(request ->
                        request.tableName(table).consistentRead(true).key(Map.of("id", AttributeValue.fromS(id))))
                .hasItem();
    }

    private List<String> queryOwner(String table, String owner) {
        return dynamoDb
                .query(request -> request.tableName(table)
                        .indexName("by-owner")
                        .keyConditionExpression("#o = :o")
                        .expressionAttributeNames(Map.of("#o", "owner"))
                        .expressionAttributeValues(Map.of(":o", AttributeValue.fromS(owner))))
                .items()
                .stream()
                .map(item -> item.get("id").s())
                .toList();
    }

    private static void awaitTrue(String what, java.util.concurrent.Callable<Boolean> condition) {
        await(what)
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .until(condition);
    }
}
