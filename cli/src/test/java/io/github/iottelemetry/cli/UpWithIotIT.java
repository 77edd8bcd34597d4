package io.github.iottelemetry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.iottelemetry.localca.DeviceCredentials;
import io.github.iottelemetry.localca.LocalCertificateAuthority;
import io.github.iottelemetry.localcloud.process.PortAssignment;
import io.github.iottelemetry.localiot.ConnectOutcome;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.crt.mqtt5.Mqtt5Client;
import software.amazon.awssdk.crt.mqtt5.Mqtt5ClientOptions;
import software.amazon.awssdk.crt.mqtt5.QOS;
import software.amazon.awssdk.crt.mqtt5.packets.PublishPacket;
import software.amazon.awssdk.iot.AwsIotMqtt5ClientBuilder;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * `pipeline up` with IoT Core, in its own JVM as the launcher runs it: a device with a certificate from the
 * state folder's CA publishes over MQTT 5 + mTLS, the template's rule puts the message into the local Kinesis
 * stream; after `pipeline iot revoke` the device cannot connect.
 */
class UpWithIotIT {

    private static final Path MODULE = Path.of("").toAbsolutePath();

    @TempDir
    Path state;

    @Test
    void aDeviceCertificateFromTheStateFoldersCaPublishesThroughTheTemplatesRuleIntoKinesis() throws Exception {
        Path log = state.resolve("up.log");
        int mqttPort = PortAssignment.freePort();
        Process up = java(
                UpCommand.class,
                log,
                "--state-dir",
                state.toString(),
                "--mqtt-port",
                Integer.toString(mqttPort),
                "--kinesis-port",
                Integer.toString(PortAssignment.freePort()),
                "--dynamodb-port",
                Integer.toString(PortAssignment.freePort()),
                "--s3-port",
                Integer.toString(PortAssignment.freePort()));
        try {
            Map<String, String> env = awaitEnv(up, log);
            assertThat(env)
                    .containsEntry("IOT_ENDPOINT", "127.0.0.1:" + mqttPort)
                    .containsEntry("IOT_CA_FILE", state.resolve("iot/ca/ca.pem").toString());
            Path[] device = issueDeviceCertificate("sim-000777");

            assertThat(
                            publish(
                                    device,
                                    env,
                                    "sim-000777",
                                    "dt/telemetry/sim-000777",
                                    "{\"schema\":\"telemetry.v1\",\"deviceId\":\"sim-000777\",\"seq\":1,\"sentAt\":1,\"readings\":[]}"))
                    .isTrue();
            List<Record> records = readStream(env, "sim-000777");
            assertThat(records).hasSize(1);
            String json = records.get(0).data().asUtf8String();
            assertThat(json).contains("\"thing\":\"sim-000777\"", "\"ingestTs\":", "\"seq\":1");

            Process revoke = java(
                    IotCommand.class,
                    state.resolve("revoke.log"),
                    "revoke",
                    "--cert",
                    device[0].toString(),
                    "--state-dir",
                    state.toString());
            assertThat(revoke.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(revoke.exitValue())
                    .as(Files.readString(state.resolve("revoke.log")))
                    .isZero();
            assertThat(publish(device, env, "sim-000777", "dt/telemetry/sim-000777", "{}"))
                    .as("revoked device connects")
                    .isFalse();
        } finally {
            up.destroy();
            assertThat(up.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    /** As the launcher runs it: this module's classes and Maven's runtime classpath of the module. */
    private Process java(Class<?> main, Path log, String... arguments) throws Exception {
        String classpath = MODULE.resolve("target/classes") + ":"
                + Files.readString(MODULE.resolve("target/runtime-classpath.txt"))
                        .strip();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Daws.cborEnabled=false",
                "-Dpipeline.home=" + MODULE.getParent(),
                "-cp",
                classpath,
                main.getName()));
        command.addAll(List.of(arguments));
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
    }

    private Map<String, String> awaitEnv(Process up, Path log) throws Exception {
        Awaitility.await("up ready in 120 s")
                .atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(100))
                .failFast(
                        "up exited",
                        () -> assertThat(up.isAlive())
                                .as("up runs; output:%n%s", Files.exists(log) ? Files.readString(log) : "")
                                .isTrue())
                .until(() -> Files.exists(log)
                        && Files.readString(log).lines().anyMatch(line -> line.startsWith("Ready in ")));
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : Files.readAllLines(state.resolve("env"))) {
            if (line.startsWith("export ")) {
                int equals = line.indexOf('=');
                env.put(line.substring(7, equals), line.substring(equals + 2, line.length() - 1));
            }
        }
        return env;
    }

    /** {certificate, private key} of a new device, from the state folder's CA. */
    private Path[] issueDeviceCertificate(String thing) {
        DeviceCredentials credentials = LocalCertificateAuthority.openOrCreate(state.resolve("iot/ca"))
                .issueDeviceCertificate(thing, state.resolve("devices"));
        return new Path[] {credentials.certificateFile(), credentials.privateKeyFile()};
    }

    /** Connects as {@code clientId} and publishes QoS 1; false when the broker refuses the connection. */
    private static boolean publish(
            Path[] device, Map<String, String> env, String clientId, String topic, String payload) throws Exception {
        CompletableFuture<Boolean> connected = new CompletableFuture<>();
        Mqtt5ClientOptions.LifecycleEvents events = ConnectOutcome.completing(connected);
        String[] endpoint = env.get("IOT_ENDPOINT").split(":");
        try (AwsIotMqtt5ClientBuilder builder = AwsIotMqtt5ClientBuilder.newDirectMqttBuilderWithMtlsFromPath(
                endpoint[0], device[0].toString(), device[1].toString())) {
            builder.withPort(Long.parseLong(endpoint[1]))
                    .withCertificateAuthorityFromPath(null, env.get("IOT_CA_FILE"))
                    .withClientId(clientId)
                    .withLifeCycleEvents(events);
            try (Mqtt5Client client = builder.build()) {
                client.start();
                boolean accepted = connected.get(20, TimeUnit.SECONDS);
                if (accepted) {
                    int reason = client.publish(new PublishPacket.PublishPacketBuilder()
                                    .withTopic(topic)
                                    .withQOS(QOS.AT_LEAST_ONCE)
                                    .withPayload(payload.getBytes(StandardCharsets.UTF_8))
                                    .build())
                            .get(10, TimeUnit.SECONDS)
                            .getResultPubAck()
                            .getReasonCode()
                            .getValue();
                    assertThat(reason).as("PUBACK reason code").isLessThan(0x80);
                }
                client.stop();
                return accepted;
            }
        }
    }

    private static List<Record> readStream(Map<String, String> env, String partitionKey) throws InterruptedException {
        try (KinesisClient kinesis = KinesisClient.builder()
                .endpointOverride(URI.create(env.get("AWS_ENDPOINT_URL_KINESIS")))
                .region(Region.of(env.get("AWS_REGION")))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(env.get("AWS_ACCESS_KEY_ID"), env.get("AWS_SECRET_ACCESS_KEY"))))
                .build()) {
            String stream = env.get("STREAM_NAME");
            List<Record> records = new ArrayList<>();
            for (int attempt = 0; attempt < 50 && records.isEmpty(); attempt++) {
                for (Shard shard : kinesis.listShards(r -> r.streamName(stream)).shards()) {
                    String iterator = kinesis.getShardIterator(r -> r.streamName(stream)
                                    .shardId(shard.shardId())
                                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON))
                            .shardIterator();
                    kinesis.getRecords(r -> r.shardIterator(iterator)).records().stream()
                            .filter(record -> record.partitionKey().equals(partitionKey))
                            .forEach(records::add);
                }
                if (records.isEmpty()) {
                    Thread.sleep(100);
                }
            }
            return records;
        }
    }
}
