package io.github.iottelemetry.localcloud;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.iottelemetry.localcloud.provision.ProvisioningReport.ProvisionedResource;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.enhanced.dynamodb.AttributeConverterProvider;
import software.amazon.awssdk.enhanced.dynamodb.AttributeValueType;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.TableMetadata;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.document.EnhancedDocument;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * What every Kinesis engine must support once the project's template.yaml is provisioned; run per
 * engine by its subclasses. Data is generic over the template's resources (keys and indexes are read
 * from the engines), so the test keeps up when the template changes.
 */
abstract class LocalCloudContract {

    private static final int RECORDS_PER_SHARD = 25;

    @Test
    void environmentNamesTheContractResources(LocalCloud cloud) {
        assertThat(cloud.environment())
                .containsKeys(
                        "AWS_ENDPOINT_URL_KINESIS",
                        "AWS_ENDPOINT_URL_DYNAMODB",
                        "AWS_ENDPOINT_URL_S3",
                        "AWS_REGION",
                        "AWS_ACCESS_KEY_ID",
                        "AWS_SECRET_ACCESS_KEY",
                        "AWS_REQUEST_CHECKSUM_CALCULATION",
                        "AWS_RESPONSE_CHECKSUM_VALIDATION",
                        "STREAM_NAME",
                        "DEVICE_STATE_TABLE",
                        "AGGREGATES_TABLE",
                        "LAKE_BUCKET")
                .as("the processor's KCL application: the template's lease table")
                .containsEntry("KCL_APPLICATION_NAME", cloud.options().stackName() + "-stream-processor");
        assertThat(cloud.provisioning().provisioned())
                .extracting(ProvisionedResource::name)
                .contains(
                        cloud.environment().get("STREAM_NAME"),
                        cloud.environment().get("DEVICE_STATE_TABLE"),
                        cloud.environment().get("AGGREGATES_TABLE"),
                        cloud.environment().get("LAKE_BUCKET"));
    }

    @Test
    void putRecordsReachEveryShardAndGetRecordsReadsThemBack(LocalCloud cloud) {
        KinesisClient kinesis = cloud.kinesis();
        String stream = cloud.environment().get("STREAM_NAME");
        List<Shard> shards =
                kinesis.listShards(request -> request.streamName(stream)).shards();
        assertThat(shards).isNotEmpty();
        String run = UUID.randomUUID().toString();

        List<PutRecordsRequestEntry> entries = new ArrayList<>();
        for (Shard shard : shards) {
            for (int i = 0; i < RECORDS_PER_SHARD; i++) {
                entries.add(PutRecordsRequestEntry.builder()
                        .partitionKey("device-" + i)
                        .explicitHashKey(shard.hashKeyRange().startingHashKey())
                        .data(SdkBytes.fromUtf8String(run + "/" + shard.shardId() + "/" + i))
                        .build());
            }
        }
        PutRecordsResponse put =
                kinesis.putRecords(request -> request.streamName(stream).records(entries));
        assertThat(put.failedRecordCount()).isZero();

        for (Shard shard : shards) {
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < RECORDS_PER_SHARD; i++) {
                expected.add(run + "/" + shard.shardId() + "/" + i);
            }
            assertThat(readRun(kinesis, stream, shard.shardId(), run, RECORDS_PER_SHARD))
                    .as("records on %s", shard.shardId())
                    .containsExactlyElementsOf(expected);
        }
    }

    @Test
    void everyTableTakesItemsAndAnswersQueriesOnItsKeyAndEachIndex(LocalCloud cloud) {
        DynamoDbClient dynamoDb = cloud.dynamoDb();
        List<String> tables = dynamoDb.listTables().tableNames();
        assertThat(tables)
                .contains(
                        cloud.environment().get("DEVICE_STATE_TABLE"),
                        cloud.environment().get("AGGREGATES_TABLE"));
        int indexesQueried = 0;
        for (String tableName : tables) {
            TableDescription table = dynamoDb.describeTable(request -> request.tableName(tableName))
                    .table();
            Map<String, AttributeValue> item = itemWithEveryKeyAttribute(table);
            dynamoDb.putItem(request -> request.tableName(tableName).item(item));

            assertThat(query(dynamoDb, tableName, null, table.keySchema(), item).items())
                    .as("query on table %s", tableName)
                    .containsExactly(item);
            for (var index : table.globalSecondaryIndexes()) {
                assertThat(query(dynamoDb, tableName, index.indexName(), index.keySchema(), item)
                                .items())
                        .as("query on index %s of %s", index.indexName(), tableName)
                        .contains(item);
                indexesQueried++;
            }
        }
        assertThat(indexesQueried)
                .as("global secondary indexes in the template")
                .isPositive();
    }

    @Test
    void enhancedClientReadsWhatTheLowLevelClientWrote(LocalCloud cloud) {
        String tableName = cloud.environment().get("DEVICE_STATE_TABLE");
        TableDescription table = cloud.dynamoDb()
                .describeTable(request -> request.tableName(tableName))
                .table();
        String hashKey = table.keySchema().stream()
                .filter(key -> key.keyType() == KeyType.HASH)
                .findFirst()
                .orElseThrow()
                .attributeName();
        String deviceId = "enhanced-" + UUID.randomUUID();
        cloud.dynamoDb()
                .putItem(request -> request.tableName(tableName)
                        .item(Map.of(hashKey, AttributeValue.fromS(deviceId), "lastSeq", AttributeValue.fromN("42"))));

        DynamoDbTable<EnhancedDocument> documents = cloud.dynamoDbEnhanced()
                .table(
                        tableName,
                        TableSchema.documentSchemaBuilder()
                                .addIndexPartitionKey(TableMetadata.primaryIndexName(), hashKey, AttributeValueType.S)
                                .attributeConverterProviders(AttributeConverterProvider.defaultProvider())
                                .build());
        EnhancedDocument document =
                documents.getItem(Key.builder().partitionValue(deviceId).build());

        assertThat(document.getNumber("lastSeq").intValue()).isEqualTo(42);
    }

    @Test
    void everyBucketStoresListsAndReturnsObjects(LocalCloud cloud) {
        S3Client s3 = cloud.s3();
        List<String> buckets =
                s3.listBuckets().buckets().stream().map(bucket -> bucket.name()).toList();
        assertThat(buckets).contains(cloud.environment().get("LAKE_BUCKET"));
        for (String bucket : buckets) {
            String prefix = "raw/dt=2026-11-23/hour=10/";
            String key = prefix + UUID.randomUUID() + ".json";
            String body = "{\"deviceId\":\"sim-000042\",\"seq\":1}\n";
            s3.putObject(request -> request.bucket(bucket).key(key), RequestBody.fromString(body));

            assertThat(s3.listObjectsV2(request -> request.bucket(bucket).prefix(prefix))
                            .contents())
                    .extracting(S3Object::key)
                    .contains(key)
                    .allMatch(listed -> listed.startsWith(prefix));
            assertThat(s3.getObjectAsBytes(request -> request.bucket(bucket).key(key))
                            .asUtf8String())
                    .isEqualTo(body);
            // The lake is also plain files, for engines that read it without S3 (DuckDB).
            assertThat(cloud.bucketFolder(bucket).resolve(key)).hasContent(body.strip());
        }
    }

    /** Reads the shard from its start until {@code expected} records of this run are found or the shard is exhausted. */
    static List<String> readRun(KinesisClient kinesis, String stream, String shardId, String run, int expected) {
        String iterator = kinesis.getShardIterator(request ->
                        request.streamName(stream).shardId(shardId).shardIteratorType(ShardIteratorType.TRIM_HORIZON))
                .shardIterator();
        List<String> found = new ArrayList<>();
        for (int call = 0; call < 20 && iterator != null; call++) {
            String current = iterator;
            var response =
                    kinesis.getRecords(request -> request.shardIterator(current).limit(10_000));
            for (Record record : response.records()) {
                String data = record.data().asString(StandardCharsets.UTF_8);
                if (data.startsWith(run + "/")) {
                    found.add(data);
                }
            }
            if (found.size() >= expected || response.records().isEmpty()) {
                break;
            }
            iterator = response.nextShardIterator();
        }
        return found;
    }

    private static Map<String, AttributeValue> itemWithEveryKeyAttribute(TableDescription table) {
        Map<String, AttributeValue> item = new HashMap<>();
        String unique = UUID.randomUUID().toString();
        for (AttributeDefinition attribute : table.attributeDefinitions()) {
            item.put(
                    attribute.attributeName(),
                    switch (attribute.attributeType()) {
                        case S -> AttributeValue.fromS(attribute.attributeName() + "-" + unique);
                        case N -> AttributeValue.fromN(Long.toString(Math.abs(unique.hashCode())));
                        case B -> AttributeValue.fromB(SdkBytes.fromUtf8String(unique));
                        default ->
                            throw new IllegalStateException(
                                    "attribute type " + attribute.attributeType() + " in " + table.tableName());
                    });
        }
        return item;
    }

    private static QueryResponse query(
            DynamoDbClient dynamoDb,
            String table,
            String index,
            List<KeySchemaElement> keys,
            Map<String, AttributeValue> item) {
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        List<String> conditions = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            String attribute = keys.get(i).attributeName();
            names.put("#k" + i, attribute);
            values.put(":v" + i, item.get(attribute));
            conditions.add("#k" + i + " = :v" + i);
        }
        return dynamoDb.query(request -> request.tableName(table)
                .indexName(index)
                .keyConditionExpression(String.join(" AND ", conditions))
                .expressionAttributeNames(names)
                .expressionAttributeValues(values));
    }
}
