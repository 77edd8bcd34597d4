package io.github.iottelemetry.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.iottelemetry.localcloud.LocalCloud;
import io.github.iottelemetry.localcloud.LocalCloudExtension;
import io.github.iottelemetry.localcloud.lambda.KinesisEventSourceMapping;
import io.github.iottelemetry.localcloud.lambda.LocalEventSourceMappings;
import io.github.iottelemetry.template.CfnTemplate;
import io.github.iottelemetry.template.PseudoParameters;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;

/**
 * The real deployment package ({@code target/lambda}, built by this module's package phase) run by local-cloud's
 * Kinesis event source mapping with template.yaml's settings: records put into the stream come out as device
 * state, raw objects and quarantine objects; a malformed record is quarantined and never stalls its shard.
 */
@ExtendWith(LocalCloudExtension.class)
class EventSourceMappingIT {

    private static final Path PACKAGE = Path.of("target/lambda");
    private static final int DEVICES = 500;
    private static final int MESSAGES_PER_DEVICE = 4;

    @Test
    void recordsFromTheStreamBecomeDeviceStateRawAndQuarantineObjects(LocalCloud cloud) throws Exception {
        Assumptions.assumeTrue(
                Files.isDirectory(PACKAGE.resolve("lib")),
                "SKIPPED: no deployment package in " + PACKAGE.toAbsolutePath()
                        + " (./mvnw -pl ingest-lambda -am package)");
        Map<String, String> env = cloud.environment();
        try (LocalEventSourceMappings lambdas = LocalEventSourceMappings.start(cloud, Duration.ofMillis(100))) {
            lambdas.lines().forEach(System.out::println);
            KinesisEventSourceMapping mapping = lambdas.mapping("IngestFunction");
            long doneBefore = mapping.counters().recordsDone();

            KinesisClient kinesis = cloud.kinesis();
            List<PutRecordsRequestEntry> entries = new ArrayList<>();
            // a device's messages one device-state interval apart, so each one's state is due
            long apart = deviceStateIntervalSeconds() * 1000;
            for (int seq = 1; seq <= MESSAGES_PER_DEVICE; seq++) {
                for (int device = 0; device < DEVICES; device++) {
                    String id = String.format("esm-%06d", device);
                    entries.add(
                            entry(id, Records.telemetry(id, id, seq, 20 + seq, (MESSAGES_PER_DEVICE - seq) * apart)));
                }
            }
            entries.add(entry("esm-bad-json", "{not json".getBytes(StandardCharsets.UTF_8)));
            entries.add(entry("esm-spoof", Records.telemetry("esm-spoof", "esm-000001", 99, 20)));
            long start = System.nanoTime();
            for (int from = 0; from < entries.size(); from += 500) {
                List<PutRecordsRequestEntry> chunk = entries.subList(from, Math.min(entries.size(), from + 500));
                assertThat(kinesis.putRecords(r ->
                                        r.streamName(env.get("STREAM_NAME")).records(chunk))
                                .failedRecordCount())
                        .isZero();
            }
            Awaitility.await("all records done in 120 s")
                    .atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> mapping.counters().recordsDone() - doneBefore >= entries.size());
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(
                    Locale.ROOT,
                    "ESM through the real ingest Lambda: %d records in %.2f s = %.0f records/s (%s)%n",
                    entries.size(),
                    seconds,
                    entries.size() / seconds,
                    mapping.counters());
            assertThat(mapping.counters().recordsDiscarded.sum()).isZero();
        }

        var state = cloud.dynamoDb()
                .getItem(b -> b.tableName(env.get("DEVICE_STATE_TABLE"))
                        .key(Map.of("deviceId", AttributeValue.fromS("esm-000042"))))
                .item();
        assertThat(state.get("lastSeq").n()).isEqualTo(Integer.toString(MESSAGES_PER_DEVICE));
        assertThat(cloud.s3()
                        .listObjectsV2(b -> b.bucket(env.get("LAKE_BUCKET")).prefix("raw/"))
                        .contents())
                .isNotEmpty();
        assertThat(cloud.s3()
                        .listObjectsV2(b -> b.bucket(env.get("LAKE_BUCKET")).prefix("quarantine/"))
                        .contents())
                .anySatisfy(o -> assertThat(o.key()).contains("reason=MALFORMED_JSON"))
                .anySatisfy(o -> assertThat(o.key()).contains("reason=IDENTITY_MISMATCH"));
    }

    /** The function's DEVICE_STATE_INTERVAL_SECONDS as template.yaml sets it (the local mapping passes it on). */
    private static long deviceStateIntervalSeconds() {
        Path template = Path.of("..", "template.yaml").toAbsolutePath().normalize();
        Object value = CfnTemplate.load(template)
                .resolve(Map.of(), PseudoParameters.local("check"))
                .resource("IngestFunction")
                .orElseThrow()
                .property("Environment", "Variables", "DEVICE_STATE_INTERVAL_SECONDS")
                .orElse(0);
        return Long.parseLong(value.toString());
    }

    private static PutRecordsRequestEntry entry(String partitionKey, byte[] data) {
        return PutRecordsRequestEntry.builder()
                .partitionKey(partitionKey)
                .data(SdkBytes.fromByteArray(data))
                .build();
    }
}
