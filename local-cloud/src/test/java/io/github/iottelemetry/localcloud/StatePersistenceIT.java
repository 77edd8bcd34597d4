package io.github.iottelemetry.localcloud;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.iottelemetry.localcloud.kinesis.KinesisEngine;
import io.github.iottelemetry.localcloud.process.ProcessTree;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.kinesis.model.PutRecordResponse;

/** A second start on the same state folder finds the streams, tables, buckets and data of the first, and stops cleanly. */
class StatePersistenceIT {

    /** kinesis-mock writes its state to disk on a timer (PERSIST_INTERVAL 1 s), not on every request. */
    private static final long KINESIS_MOCK_PERSIST_WAIT_MILLIS = 2_500;

    @TempDir
    Path state;

    @ParameterizedTest
    @EnumSource(KinesisEngine.class)
    void restartOnTheSameStateFolderKeepsEveryEnginesData(KinesisEngine engine) throws InterruptedException {
        LocalCloudOptions options = LocalCloudOptions.defaults(state)
                .withStateDirectory(state, true)
                .withKinesisEngine(engine)
                .withTemplate(Optional.of(LocalCloudExtension.projectTemplate()), Map.of())
                .withFreePorts();
        String run = UUID.randomUUID().toString();
        String shardId;
        List<ProcessHandle> firstRunProcesses;
        try (LocalCloud first = LocalCloud.start(options)) {
            Map<String, String> names = first.environment();
            PutRecordResponse put = first.kinesis()
                    .putRecord(request -> request.streamName(names.get("STREAM_NAME"))
                            .partitionKey("sim-000042")
                            .data(SdkBytes.fromUtf8String(run + "/record")));
            shardId = put.shardId();
            first.dynamoDb()
                    .putItem(request -> request.tableName(names.get("DEVICE_STATE_TABLE"))
                            .item(Map.of("deviceId", AttributeValue.fromS(run), "lastSeq", AttributeValue.fromN("7"))));
            first.s3()
                    .putObject(
                            request -> request.bucket(names.get("LAKE_BUCKET")).key("raw/" + run + ".json"),
                            RequestBody.fromString(run));
            firstRunProcesses = first.childProcesses();
            if (engine == KinesisEngine.KINESIS_MOCK) {
                Thread.sleep(KINESIS_MOCK_PERSIST_WAIT_MILLIS);
            }
        }
        assertThat(firstRunProcesses)
                .as("Kinesis, DynamoDB and S3 engines")
                .hasSize(3)
                .noneMatch(ProcessTree::isRunning);

        try (LocalCloud second = LocalCloud.start(options.withStateDirectory(state, false))) {
            Map<String, String> names = second.environment();
            assertThat(second.provisioning().provisioned())
                    .allSatisfy(resource -> assertThat(resource.outcome())
                            .as(resource.logicalId())
                            .hasToString("REUSED"));
            assertThat(LocalCloudContract.readRun(second.kinesis(), names.get("STREAM_NAME"), shardId, run, 1))
                    .containsExactly(run + "/record");
            assertThat(second.dynamoDb()
                            .getItem(request -> request.tableName(names.get("DEVICE_STATE_TABLE"))
                                    .key(Map.of("deviceId", AttributeValue.fromS(run))))
                            .item()
                            .get("lastSeq")
                            .n())
                    .isEqualTo("7");
            assertThat(second.s3()
                            .getObjectAsBytes(request ->
                                    request.bucket(names.get("LAKE_BUCKET")).key("raw/" + run + ".json"))
                            .asUtf8String())
                    .isEqualTo(run);
        }
    }

    @org.junit.jupiter.api.Test
    void dynamoDbInMemoryServesTheTablesAndKeepsNothingAcrossARestart() throws Exception {
        LocalCloudOptions options = LocalCloudOptions.defaults(state)
                .withStateDirectory(state, true)
                .withTemplate(Optional.of(LocalCloudExtension.projectTemplate()), Map.of())
                .withDynamoDbInMemory(true)
                .withFreePorts();
        String run = UUID.randomUUID().toString();
        try (LocalCloud first = LocalCloud.start(options)) {
            String table = first.environment().get("DEVICE_STATE_TABLE");
            first.dynamoDb()
                    .putItem(request -> request.tableName(table)
                            .item(Map.of("deviceId", AttributeValue.fromS(run), "lastSeq", AttributeValue.fromN("7"))));
            assertThat(first.dynamoDb()
                            .getItem(request ->
                                    request.tableName(table).key(Map.of("deviceId", AttributeValue.fromS(run))))
                            .item())
                    .containsKey("lastSeq");
        }
        assertThat(state.resolve("dynamodb"))
                .as("no LevelDB folder in memory mode")
                .doesNotExist();
        try (LocalCloud second = LocalCloud.start(options.withStateDirectory(state, false))) {
            String table = second.environment().get("DEVICE_STATE_TABLE");
            assertThat(second.provisioning().provisioned())
                    .anySatisfy(resource -> assertThat(resource.outcome())
                            .as(resource.logicalId())
                            .hasToString("CREATED"));
            assertThat(second.dynamoDb()
                            .getItem(request ->
                                    request.tableName(table).key(Map.of("deviceId", AttributeValue.fromS(run))))
                            .item())
                    .isEmpty();
        }
    }
}
