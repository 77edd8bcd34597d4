package io.github.iottelemetry.localiot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.iottelemetry.localca.DeviceCredentials;
import io.github.iottelemetry.localca.LocalCertificateAuthority;
import io.github.iottelemetry.localcloud.LocalCloud;
import io.github.iottelemetry.localcloud.LocalCloudEndpoints;
import io.github.iottelemetry.localcloud.LocalCloudExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.crt.mqtt5.Mqtt5Client;
import software.amazon.awssdk.crt.mqtt5.Mqtt5ClientOptions;
import software.amazon.awssdk.crt.mqtt5.PublishResult;
import software.amazon.awssdk.crt.mqtt5.QOS;
import software.amazon.awssdk.crt.mqtt5.packets.PubAckPacket;
import software.amazon.awssdk.crt.mqtt5.packets.PublishPacket;
import software.amazon.awssdk.iot.AwsIotMqtt5ClientBuilder;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/** Real devices (IoT Device SDK v2, MQTT 5 over mTLS) against the local IoT Core, with kinesalite and S3Proxy behind it. */
class LocalIotCoreIT {

    private static final Path TEMPLATE =
            Path.of("src/test/resources/local-iot-test-template.yaml").toAbsolutePath();

    @RegisterExtension
    static final LocalCloudExtension CLOUD = new LocalCloudExtension().withTemplate(TEMPLATE);

    @TempDir
    static Path state;

    private static LocalCloud cloud;
    private static LocalIotCore iot;
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start(LocalCloud localCloud) {
        cloud = localCloud;
        LocalCloudEndpoints endpoints = cloud.endpoints();
        iot = LocalIotCore.start(LocalIotOptions.of(
                state,
                TEMPLATE,
                cloud.options().stackName(),
                cloud.options().parameterValues(),
                endpoints.kinesis(),
                endpoints.s3(),
                endpoints.region(),
                LocalCloudEndpoints.ACCESS_KEY_ID,
                LocalCloudEndpoints.SECRET_ACCESS_KEY));
    }

    @AfterAll
    static void stop() {
        if (iot != null) {
            iot.close();
        }
    }

    @Test
    void ownTopicIsAcceptedAndTheRecordReachesKinesisWithThingIngestTsAndPartitionKey() throws Exception {
        DeviceCredentials device =
                iot.certificateAuthority().issueDeviceCertificate("sim-000042", state.resolve("devices"));
        try (Device client = Device.connect(device, "sim-000042")) {
            assertThat(client.connected).isTrue();
            String payload =
                    "{\"schema\":\"telemetry.v1\",\"deviceId\":\"sim-000042\",\"seq\":1,\"sentAt\":1,\"readings\":[]}";
            PubAckPacket ack = client.publish("dt/telemetry/sim-000042", payload);
            assertThat(ack.getReasonCode().getValue()).isLessThan(0x80);
            PubAckPacket basicIngest = client.publish(
                    "$aws/rules/telemetry_to_kinesis/dt/telemetry/sim-000042",
                    payload.replace("\"seq\":1", "\"seq\":2"));
            assertThat(basicIngest.getReasonCode().getValue()).isLessThan(0x80);
        }

        // Other tests' devices write to the same stream: keep this device's records.
        List<Record> records = readStream(cloud.environment().get("STREAM_NAME"), "sim-000042", 2);
        assertThat(records).hasSize(2);
        for (Record record : records) {
            JsonNode json = JSON.readTree(record.data().asByteArray());
            assertThat(record.partitionKey()).isEqualTo("sim-000042");
            assertThat(json.get("thing").asText()).isEqualTo("sim-000042");
            assertThat(json.get("ingestTs").asLong()).isGreaterThan(1_700_000_000_000L);
        }
        assertThat(records)
                .extracting(
                        r -> JSON.readTree(r.data().asByteArray()).get("seq").asInt())
                .containsExactly(1, 2);
        Path metrics = iot.stateFolder().resolve("cloudwatch/metrics.jsonl");
        assertThat(Files.readAllLines(metrics))
                .anySatisfy(line -> assertThat(line).contains("\"metricName\":\"RuleMessages\""));
    }

    @Test
    void foreignTopicIsRefusedWithPubackNotAuthorizedAndCounted() throws Exception {
        DeviceCredentials device =
                iot.certificateAuthority().issueDeviceCertificate("sim-000043", state.resolve("devices"));
        long refusedBefore = iot.counters().publishesRefused.sum();
        try (Device client = Device.connect(device, "sim-000043")) {
            PubAckPacket ack = client.publish("dt/telemetry/sim-000099", "{}");
            assertThat(ack.getReasonCode()).isEqualTo(PubAckPacket.PubAckReasonCode.NOT_AUTHORIZED);
            assertThat(client.publish("dt/telemetry/sim-000043", "{}")
                            .getReasonCode()
                            .getValue())
                    .isLessThan(0x80);
        }
        assertThat(iot.counters().publishesRefused.sum()).isEqualTo(refusedBefore + 1);
    }

    @Test
    void anotherClientIdIsRefused() {
        DeviceCredentials device =
                iot.certificateAuthority().issueDeviceCertificate("sim-000044", state.resolve("devices"));
        try (Device client = Device.connect(device, "sim-000045")) {
            assertThat(client.connected).isFalse();
        }
    }

    @Test
    void aCertificateFromAnotherCaIsRefused() {
        LocalCertificateAuthority stranger = LocalCertificateAuthority.openOrCreate(state.resolve("stranger-ca"));
        DeviceCredentials device = stranger.issueDeviceCertificate("sim-000046", state.resolve("stranger-devices"));
        try (Device client = Device.connect(device, "sim-000046")) {
            assertThat(client.connected).isFalse();
        }
    }

    @Test
    void aRevokedCertificateIsRefusedAtItsNextConnect() {
        DeviceCredentials device =
                iot.certificateAuthority().issueDeviceCertificate("sim-000047", state.resolve("devices"));
        try (Device client = Device.connect(device, "sim-000047")) {
            assertThat(client.connected).isTrue();
        }
        LocalCertificateAuthority.openOrCreate(iot.certificateAuthority().folder())
                .revoke(device.certificateFile());
        try (Device client = Device.connect(device, "sim-000047")) {
            assertThat(client.connected).isFalse();
        }
    }

    @Test
    void aKinesisFailureLandsInTheErrorActionWithTheAwsErrorPayload() throws Exception {
        DeviceCredentials device =
                iot.certificateAuthority().issueDeviceCertificate("sim-000048", state.resolve("devices"));
        try (Device client = Device.connect(device, "sim-000048")) {
            assertThat(client.publish("broken/sim-000048", "{\"v\":1}")
                            .getReasonCode()
                            .getValue())
                    .isLessThan(0x80);
        }
        String bucket = cloud.options().stackName() + "-lake";
        List<software.amazon.awssdk.services.s3.model.S3Object> objects = List.of();
        for (int attempt = 0; attempt < 100 && objects.isEmpty(); attempt++) {
            objects = cloud.s3()
                    .listObjectsV2(request -> request.bucket(bucket).prefix("errors/sim-000048/"))
                    .contents();
            if (objects.isEmpty()) {
                TimeUnit.MILLISECONDS.sleep(100);
            }
        }
        assertThat(objects).hasSize(1);
        JsonNode error = JSON.readTree(cloud.s3()
                .getObjectAsBytes(request -> request.bucket(bucket)
                        .key(((List<software.amazon.awssdk.services.s3.model.S3Object>) List.copyOf(cloud.s3()
                                        .listObjectsV2(r -> r.bucket(bucket).prefix("errors/sim-000048/"))
                                        .contents()))
                                .get(0)
                                .key()))
                .asByteArray());
        assertThat(error.get("ruleName").asText()).isEqualTo("broken_stream");
        assertThat(error.get("topic").asText()).isEqualTo("broken/sim-000048");
        assertThat(error.get("clientId").asText()).isEqualTo("sim-000048");
        assertThat(error.get("cloudwatchTraceId").asText()).isNotEmpty();
        assertThat(new String(
                        Base64.getDecoder()
                                .decode(error.get("base64OriginalPayload").asText()),
                        StandardCharsets.UTF_8))
                .isEqualTo("{\"v\":1}");
        assertThat(error.get("failures").get(0).get("failedAction").asText()).isEqualTo("KinesisAction");
        assertThat(error.get("failures").get(0).get("failedResource").asText()).isEqualTo("no-such-stream");
        assertThat(error.get("failures").get(0).get("errorMessage").asText()).contains("ResourceNotFoundException");
    }

    private static List<Record> readStream(String stream, String partitionKey, int expected)
            throws InterruptedException {
        KinesisClient kinesis = cloud.kinesis();
        List<Record> records = new ArrayList<>();
        for (int attempt = 0; attempt < 50 && records.size() < expected; attempt++) {
            records.clear();
            for (Shard shard : kinesis.listShards(r -> r.streamName(stream)).shards()) {
                String iterator = kinesis.getShardIterator(r -> r.streamName(stream)
                                .shardId(shard.shardId())
                                .shardIteratorType(ShardIteratorType.TRIM_HORIZON))
                        .shardIterator();
                kinesis.getRecords(r -> r.shardIterator(iterator)).records().stream()
                        .filter(record -> record.partitionKey().equals(partitionKey))
                        .forEach(records::add);
            }
            if (records.size() < expected) {
                TimeUnit.MILLISECONDS.sleep(100);
            }
        }
        return records;
    }

    /** One device on the MQTT 5 client of the IoT Device SDK v2: connected, or refused, within a few seconds. */
    private static final class Device implements AutoCloseable {
        private final Mqtt5Client client;
        private final boolean connected;

        private Device(Mqtt5Client client, boolean connected) {
            this.client = client;
            this.connected = connected;
        }

        static Device connect(DeviceCredentials credentials, String clientId) {
            CompletableFuture<Boolean> outcome = new CompletableFuture<>();
            Mqtt5ClientOptions.LifecycleEvents events = ConnectOutcome.completing(outcome);
            try (AwsIotMqtt5ClientBuilder builder = AwsIotMqtt5ClientBuilder.newDirectMqttBuilderWithMtlsFromPath(
                    "127.0.0.1",
                    credentials.certificateFile().toString(),
                    credentials.privateKeyFile().toString())) {
                builder.withPort((long) iot.port())
                        .withCertificateAuthorityFromPath(
                                null, iot.caCertificateFile().toString())
                        .withClientId(clientId)
                        .withLifeCycleEvents(events);
                Mqtt5Client client = builder.build();
                client.start();
                boolean connected;
                try {
                    connected = outcome.get(20, TimeUnit.SECONDS);
                } catch (Exception e) {
                    connected = false;
                }
                return new Device(client, connected);
            }
        }

        PubAckPacket publish(String topic, String payload) throws Exception {
            PublishResult result = client.publish(new PublishPacket.PublishPacketBuilder()
                            .withTopic(topic)
                            .withQOS(QOS.AT_LEAST_ONCE)
                            .withPayload(payload.getBytes(StandardCharsets.UTF_8))
                            .build())
                    .get(10, TimeUnit.SECONDS);
            return result.getResultPubAck();
        }

        @Override
        public void close() {
            client.stop();
            client.close();
        }
    }
}
