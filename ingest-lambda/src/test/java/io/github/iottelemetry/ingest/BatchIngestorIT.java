package io.github.iottelemetry.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.iottelemetry.core.payload.TelemetryMessage;
import io.github.iottelemetry.core.validation.ReasonCode;
import io.github.iottelemetry.core.validation.TelemetryValidator;
import io.github.iottelemetry.core.validation.ValidationLimits;
import io.github.iottelemetry.ingest.batch.BatchIngestor;
import io.github.iottelemetry.ingest.batch.BatchOutcome;
import io.github.iottelemetry.ingest.batch.IngestRecord;
import io.github.iottelemetry.ingest.lake.LakeWriter;
import io.github.iottelemetry.ingest.state.DeviceState;
import io.github.iottelemetry.ingest.state.DeviceStateStore;
import io.github.iottelemetry.localcloud.LocalCloud;
import io.github.iottelemetry.localcloud.LocalCloudExtension;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The ingest logic against the real local engines: dynalite and S3Proxy, provisioned from template.yaml. */
@ExtendWith(LocalCloudExtension.class)
class BatchIngestorIT {
    private static final ExecutorService IO = Executors.newFixedThreadPool(8);
    private static LocalCloud cloud;
    private static DeviceStateStore state;
    private static LakeWriter lake;
    private static S3Client s3;
    private static String bucket;

    @BeforeAll
    static void connect(LocalCloud localCloud) {
        cloud = localCloud;
        Map<String, String> env = cloud.environment();
        bucket = env.get("LAKE_BUCKET");
        s3 = cloud.s3();
        state = new DeviceStateStore(cloud.dynamoDbEnhanced(), env.get("DEVICE_STATE_TABLE"));
        lake = new LakeWriter(s3, bucket);
    }

    @AfterAll
    static void stop() {
        IO.shutdownNow();
    }

    private static BatchIngestor ingestor(DeviceStateStore store) {
        return new BatchIngestor(
                new TelemetryValidator(ValidationLimits.defaults()), store, lake, IO, Clock.systemUTC());
    }

    @Test
    void everyRecordEndsValidOrQuarantinedWithItsReason() throws IOException {
        String shard = "shardId-000000000101";
        long late = Records.NOW - 25L * 3600 * 1000;
        Records r = new Records(shard, 1000)
                .add(Records.telemetry("mix-a", "mix-a", 1, 20))
                .add(Records.telemetry("mix-b", "mix-b", 7, 30))
                .add("{\"schema\":\"telemetry.v1\",\"deviceId\":\"mix-a\"") // truncated
                .add(Records.telemetry("mix-a", "mix-a", 2, 21))
                .add(Records.telemetry("mix-a", "mix-a", 2, 21)) // MQTT redelivery inside the batch
                .add(
                        "{\"schema\":\"telemetry.v1\",\"deviceId\":\"mix-a\",\"seq\":3,\"sentAt\":1,\"readings\":[],\"thing\":\"mix-a\"}")
                .add(Records.telemetry("mix-c", "mix-a", 1, 20)) // spoofed identity
                .add(
                        ("{\"schema\":\"telemetry.v1\",\"deviceId\":\"mix-a\",\"seq\":4,\"sentAt\":1,\"readings\":[{\"ts\":"
                                + (Records.NOW + 3_600_000) + ",\"m\":{\"t\":1}}],\"thing\":\"mix-a\",\"ingestTs\":"
                                + Records.NOW + "}"))
                .add(new byte[140_000])
                .add(
                        ("{\"schema\":\"telemetry.v1\",\"deviceId\":\"mix-a\",\"seq\":5,\"sentAt\":1,\"readings\":[{\"ts\":"
                                + late + ",\"m\":{\"t\":1}}],\"thing\":\"mix-a\",\"ingestTs\":" + Records.NOW + "}"));
        BatchOutcome o = ingestor(state).ingest(r.batch());

        assertThat(o.records()).isEqualTo(10);
        assertThat(o.valid()).isEqualTo(3);
        assertThat(o.duplicates()).isEqualTo(1);
        assertThat(o.quarantined())
                .containsOnly(
                        Map.entry(ReasonCode.MALFORMED_JSON, 1), Map.entry(ReasonCode.SCHEMA_VIOLATION, 1),
                        Map.entry(ReasonCode.IDENTITY_MISMATCH, 1), Map.entry(ReasonCode.TIMESTAMP_OUT_OF_RANGE, 1),
                        Map.entry(ReasonCode.TOO_LARGE, 1), Map.entry(ReasonCode.LATE, 1));
        assertThat(o.failedSequenceNumbers()).isEmpty();
        assertThat(o.valid() + o.duplicates() + o.quarantinedTotal()).isEqualTo(o.records());

        DeviceState a = state.get("mix-a");
        assertThat(a.getLastSeq()).isEqualTo(2);
        assertThat(a.getLatest()).containsEntry("temperature", 23.0).containsEntry("battery", 3.7);
        assertThat(state.get("mix-b").getLastSeq()).isEqualTo(7);
        assertThat(state.get("mix-c")).isNull(); // a spoofed record changes no state

        List<String> raw = objectLines(keysUnder("raw/").stream()
                .filter(k -> k.contains(shard))
                .findFirst()
                .orElseThrow());
        assertThat(raw)
                .as("the valid records, the redelivered one too: the archive holds Kinesis records")
                .hasSize(4);
        assertThat(raw.get(0))
                .startsWith("{\"schema\":\"telemetry.v1\",\"deviceId\":\"mix-a\",\"seq\":1,")
                .endsWith(",\"kinesisShardId\":\"" + shard + "\",\"kinesisSequenceNumber\":\""
                        + r.batch().get(0).sequenceNumber() + "\",\"kinesisArrivalTs\":" + (Records.NOW - 400) + "}");

        List<String> quarantine =
                keysUnder("quarantine/").stream().filter(k -> k.contains(shard)).toList();
        assertThat(quarantine).hasSize(6);
        String spoofKey = quarantine.stream()
                .filter(k -> k.contains("reason=IDENTITY_MISMATCH"))
                .findFirst()
                .orElseThrow();
        String spoof = objectLines(spoofKey).get(0);
        assertThat(spoof)
                .contains(
                        "\"reason\":\"IDENTITY_MISMATCH\"",
                        "\"detail\":\"deviceId=mix-c thing=mix-a\"",
                        "\"shardId\":\"" + shard + "\"",
                        "\"sequenceNumber\":\"" + r.batch().get(6).sequenceNumber() + "\"");
        String base64 = spoof.replaceAll(".*\"dataBase64\":\"([^\"]+)\".*", "$1");
        assertThat(Base64.getDecoder().decode(base64))
                .isEqualTo(r.batch().get(6).data());
    }

    @Test
    void replayingABatchChangesNothing() throws IOException {
        String shard = "shardId-000000000102";
        Records r = new Records(shard, 5000)
                .add(Records.telemetry("replay-a", "replay-a", 10, 20))
                .add("not json")
                .add(Records.telemetry("replay-b", "replay-b", 3, 20));
        ingestor(state).ingest(r.batch());
        DeviceState before = state.get("replay-a");
        List<String> rawBefore =
                keysUnder("raw/").stream().filter(k -> k.contains(shard)).toList();
        List<String> quarantineBefore =
                keysUnder("quarantine/").stream().filter(k -> k.contains(shard)).toList();

        BatchOutcome again = ingestor(state).ingest(r.batch());

        assertThat(again.staleStateUpdates()).isEqualTo(2);
        assertThat(again.stateWrites()).isZero();
        assertThat(state.get("replay-a").getUpdatedAt()).isEqualTo(before.getUpdatedAt());
        assertThat(keysUnder("raw/").stream().filter(k -> k.contains(shard)).toList())
                .isEqualTo(rawBefore)
                .hasSize(1);
        assertThat(keysUnder("quarantine/").stream()
                        .filter(k -> k.contains(shard))
                        .toList())
                .isEqualTo(quarantineBefore)
                .hasSize(1);
    }

    @Test
    void anOlderSeqNeverMovesTheStateBack() {
        Records newer = new Records("shardId-000000000103", 1).add(Records.telemetry("order-a", "order-a", 50, 99));
        Records older = new Records("shardId-000000000103", 2).add(Records.telemetry("order-a", "order-a", 49, 11));
        ingestor(state).ingest(newer.batch());
        BatchOutcome o = ingestor(state).ingest(older.batch());
        assertThat(o.staleStateUpdates()).isEqualTo(1);
        assertThat(state.get("order-a").getLastSeq()).isEqualTo(50);
        assertThat(state.get("order-a").getLatest()).containsEntry("temperature", 101.0);
    }

    @Test
    void aTransientFailureReportsExactlyThatRecordAndArchivesOnlyWhatCameBefore() throws IOException {
        String shard = "shardId-000000000104";
        DeviceStateStore throttled =
                new DeviceStateStore(
                        cloud.dynamoDbEnhanced(), cloud.environment().get("DEVICE_STATE_TABLE")) {
                    @Override
                    public boolean putIfNewer(TelemetryMessage m, long now) {
                        if (m.deviceId().equals("flaky")) {
                            throw ProvisionedThroughputExceededException.builder()
                                    .message("throttled for the test")
                                    .statusCode(400)
                                    .awsErrorDetails(AwsErrorDetails.builder()
                                            .errorCode("ProvisionedThroughputExceededException")
                                            .serviceName("DynamoDb")
                                            .build())
                                    .build();
                        }
                        return super.putIfNewer(m, now);
                    }
                };
        Records r = new Records(shard, 700)
                .add(Records.telemetry("steady-1", "steady-1", 1, 20))
                .add(Records.telemetry("flaky", "flaky", 1, 20))
                .add(Records.telemetry("steady-2", "steady-2", 1, 20));
        BatchOutcome o = ingestor(throttled).ingest(r.batch());

        assertThat(o.failedSequenceNumbers()).containsExactly(r.batch().get(1).sequenceNumber());
        List<String> raw =
                keysUnder("raw/").stream().filter(k -> k.contains(shard)).toList();
        assertThat(raw).hasSize(1);
        assertThat(objectLines(raw.get(0))).hasSize(1).allMatch(l -> l.contains("\"deviceId\":\"steady-1\""));
        assertThat(state.get("steady-2").getLastSeq()).isEqualTo(1); // idempotent, so written anyway

        // Lambda retries from the failed record; when DynamoDB recovers everything lands exactly once
        List<IngestRecord> retry = r.batch().subList(1, 3);
        BatchOutcome second = ingestor(state).ingest(retry);
        assertThat(second.failedSequenceNumbers()).isEmpty();
        List<String> rawAfter =
                keysUnder("raw/").stream().filter(k -> k.contains(shard)).toList();
        assertThat(rawAfter).hasSize(2);
        long lines = 0;
        for (String k : rawAfter) {
            lines += objectLines(k).size();
        }
        assertThat(lines).isEqualTo(3);
    }

    @Test
    void aDeploymentErrorFailsTheInvocationLoudly() {
        DeviceStateStore missing = new DeviceStateStore(cloud.dynamoDbEnhanced(), "no-such-table");
        Records r = new Records("shardId-000000000105", 1).add(Records.telemetry("x", "x", 1, 20));
        assertThatThrownBy(() -> ingestor(missing).ingest(r.batch())).isInstanceOf(ResourceNotFoundException.class);
    }

    private static List<String> keysUnder(String prefix) {
        return s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream()
                .map(S3Object::key)
                .sorted()
                .toList();
    }

    private static List<String> objectLines(String key) throws IOException {
        byte[] gz = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return Arrays.asList(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"));
        }
    }
}
