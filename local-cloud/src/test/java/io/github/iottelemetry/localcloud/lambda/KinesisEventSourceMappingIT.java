package io.github.iottelemetry.localcloud.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.iottelemetry.localcloud.LocalCloud;
import io.github.iottelemetry.localcloud.LocalCloudExtension;
import io.github.iottelemetry.localcloud.lambda.fixture.MarkerHandler;
import io.github.iottelemetry.template.PseudoParameters;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.Shard;

/**
 * The event source mapping's semantics, independent of the pipeline's function: a fixture handler packaged into
 * a temporary folder like a deployment package, on a one-shard stream of the local Kinesis engine.
 */
@ExtendWith(LocalCloudExtension.class)
class KinesisEventSourceMappingIT {

    private static final Duration POLL = Duration.ofMillis(50);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    private KinesisClient kinesis;
    private String stream;
    private final List<String> sequenceNumbers = new ArrayList<>();

    @BeforeEach
    void createStream(LocalCloud cloud) throws Exception {
        kinesis = cloud.kinesis();
        stream = "esm-" + UUID.randomUUID().toString().substring(0, 8);
        kinesis.createStream(request -> request.streamName(stream).shardCount(1));
        await(() -> kinesis.describeStreamSummary(r -> r.streamName(stream))
                .streamDescriptionSummary()
                .streamStatusAsString()
                .equals("ACTIVE"));
    }

    @Test
    void deliversInOrderInBatchesWithLambdasEventShapeAndContinuesFromTheCheckpointAfterARestart() throws Exception {
        put(IntStream.range(0, 25).mapToObj(i -> "r" + i).toList());
        KinesisEventSource source = source().withBatching(10, Duration.ZERO);
        try (LambdaFunctionHost host = host();
                KinesisEventSourceMapping mapping = start(host, source)) {
            await(() -> mapping.counters().recordsDone() == 25);
        }
        List<String> invocations = Files.readAllLines(work.resolve("invocations"));
        assertThat(invocations)
                .allMatch(line -> line.startsWith("ok:") && line.substring(3).split(",").length <= 10);
        assertThat(data(invocations))
                .containsExactlyElementsOf(
                        IntStream.range(0, 25).mapToObj(i -> "r" + i).toList());

        String[] first = Files.readAllLines(work.resolve("records")).get(0).split("\\|");
        assertThat(first[0]).isEqualTo("shardId-000000000000:" + sequenceNumbers.get(0));
        assertThat(first[1]).isEqualTo(source.streamArn());
        assertThat(first)
                .containsSequence("aws:kinesis:record", "aws:kinesis", "us-east-1", "key-r0", sequenceNumbers.get(0));
        assertThat(Long.parseLong(first[7]))
                .isBetween(System.currentTimeMillis() - 120_000, System.currentTimeMillis());
        assertThat(first[8]).isEqualTo("fixture-function");

        put(List.of("r25", "r26"));
        try (LambdaFunctionHost host = host();
                KinesisEventSourceMapping mapping = start(host, source)) {
            await(() -> mapping.counters().recordsDone() == 2);
        }
        assertThat(data(Files.readAllLines(work.resolve("invocations"))))
                .endsWith("r24", "r25", "r26")
                .doesNotHaveDuplicates();
    }

    @Test
    void aPoisonRecordIsIsolatedByBisectionRetriedToTheLimitAndSentToOnFailureWithoutStallingTheShard()
            throws Exception {
        put(List.of("r0", "r1", "r2", "r3", "r4", "fail", "r6", "r7"));
        KinesisEventSource source = source().withErrorHandling(true, 2, Optional.empty(), true);
        try (LambdaFunctionHost host = host();
                KinesisEventSourceMapping mapping = start(host, source)) {
            await(() -> mapping.counters().recordsDone() == 8);
            put(List.of("r8"));
            await(() -> mapping.counters().recordsDone() == 9);
            assertThat(mapping.counters().recordsDiscarded.sum()).isEqualTo(1);
            assertThat(mapping.counters().bisections.sum()).isEqualTo(3); // 8 -> 4 -> 2 -> 1
        }
        List<String> succeeded = data(Files.readAllLines(work.resolve("invocations")).stream()
                .filter(l -> l.startsWith("ok:"))
                .toList());
        assertThat(succeeded).containsExactly("r0", "r1", "r2", "r3", "r4", "r6", "r7", "r8");
        assertThat(Files.readAllLines(work.resolve("invocations")))
                .filteredOn(line -> line.equals("error:fail"))
                .hasSize(3);
        JsonNode failure = onlyFailure();
        assertThat(failure.at("/requestContext/condition").asText()).isEqualTo("RetryAttemptsExhausted");
        assertThat(failure.at("/requestContext/approximateInvokeCount").asInt()).isEqualTo(3);
        assertThat(failure.at("/responseContext/functionError").asText()).isEqualTo("Unhandled");
        assertThat(failure.at("/KinesisBatchInfo/batchSize").asInt()).isEqualTo(1);
        assertThat(failure.at("/KinesisBatchInfo/startSequenceNumber").asText()).isEqualTo(sequenceNumbers.get(5));
        assertThat(failure.at("/KinesisBatchInfo/shardId").asText()).isEqualTo("shardId-000000000000");
    }

    @Test
    void withoutBisectionTheWholeBatchIsRetriedThenDiscarded() throws Exception {
        put(List.of("r0", "fail", "r2", "r3"));
        KinesisEventSource source = source().withErrorHandling(false, 1, Optional.empty(), false);
        try (LambdaFunctionHost host = host();
                KinesisEventSourceMapping mapping = start(host, source)) {
            await(() -> mapping.counters().recordsDone() == 4);
            put(List.of("r4"));
            await(() -> mapping.counters().recordsDone() == 5);
        }
        assertThat(Files.readAllLines(work.resolve("invocations")))
                .containsExactly("error:r0,fail,r2,r3", "error:r0,fail,r2,r3", "ok:r4");
        JsonNode failure = onlyFailure();
        assertThat(failure.at("/KinesisBatchInfo/batchSize").asInt()).isEqualTo(4);
        assertThat(failure.at("/requestContext/approximateInvokeCount").asInt()).isEqualTo(2);
    }

    @Test
    void reportedItemFailuresAreRetriedFromTheLowestFailedSequenceNumber() throws Exception {
        put(List.of("r0", "r1", "r2", "item-fail-once", "r4", "r5"));
        KinesisEventSource source = source().withErrorHandling(true, 3, Optional.empty(), true);
        try (LambdaFunctionHost host = host();
                KinesisEventSourceMapping mapping = start(host, source)) {
            await(() -> mapping.counters().recordsDone() == 6);
            assertThat(mapping.counters().partialFailures.sum()).isEqualTo(1);
        }
        assertThat(Files.readAllLines(work.resolve("invocations")))
                .containsExactly("partial:r0,r1,r2,item-fail-once,r4,r5", "ok:item-fail-once,r4,r5");
        assertThat(work.resolve("esm/on-failure.jsonl")).doesNotExist();
    }

    @Test
    void recordsOlderThanMaximumRecordAgeGoToOnFailureWithoutAnInvocation() throws Exception {
        put(List.of("r0", "r1"));
        Thread.sleep(1_500);
        KinesisEventSource source = source().withErrorHandling(true, 3, Optional.of(Duration.ofSeconds(1)), true);
        try (LambdaFunctionHost host = host();
                KinesisEventSourceMapping mapping = start(host, source)) {
            await(() -> mapping.counters().recordsDone() == 2);
            assertThat(mapping.counters().invocations.sum()).isZero();
        }
        JsonNode failure = onlyFailure();
        assertThat(failure.at("/requestContext/condition").asText()).isEqualTo("RecordAgeExceeded");
        assertThat(failure.at("/KinesisBatchInfo/batchSize").asInt()).isEqualTo(2);
    }

    @Test
    void afterASplitAndAMergeEveryRecordIsDeliveredOnceAndChildrenOnlyAfterTheirParents() throws Exception {
        put(IntStream.range(0, 20).mapToObj(i -> "a" + i).toList());
        KinesisEventSource source = source().withBatching(7, Duration.ZERO);
        try (LambdaFunctionHost host = host();
                KinesisEventSourceMapping mapping = start(host, source)) {
            await(() -> mapping.counters().recordsDone() == 20);
            kinesis.splitShard(request -> request.streamName(stream)
                    .shardToSplit("shardId-000000000000")
                    .newStartingHashKey("170141183460469231731687303715884105728"));
            awaitActive();
            // As Kinesis lists them: the shards open at the trim horizon (the parent), and those open now (the
            // children).
            assertThat(kinesis.listShards(r -> r.streamName(stream).shardFilter(f -> f.type("AT_TRIM_HORIZON")))
                            .shards())
                    .extracting(Shard::shardId)
                    .containsExactly("shardId-000000000000");
            assertThat(kinesis.listShards(r -> r.streamName(stream).shardFilter(f -> f.type("AT_LATEST")))
                            .shards())
                    .extracting(Shard::shardId)
                    .containsExactly("shardId-000000000001", "shardId-000000000002");
            put(IntStream.range(0, 20).mapToObj(i -> "b" + i).toList());
            await(() -> mapping.counters().recordsDone() == 40);
            kinesis.mergeShards(request -> request.streamName(stream)
                    .shardToMerge("shardId-000000000001")
                    .adjacentShardToMerge("shardId-000000000002"));
            awaitActive();
            put(IntStream.range(0, 20).mapToObj(i -> "c" + i).toList());
            await(() -> mapping.counters().recordsDone() == 60);
        }
        List<String> delivered = data(Files.readAllLines(work.resolve("invocations")));
        assertThat(delivered).hasSize(60).doesNotHaveDuplicates();
        // Every record of a generation comes after every record of the one before: parents are done first.
        assertThat(delivered.subList(0, 20)).allMatch(value -> value.startsWith("a"));
        assertThat(delivered.subList(20, 40)).allMatch(value -> value.startsWith("b"));
        assertThat(delivered.subList(40, 60)).allMatch(value -> value.startsWith("c"));
        List<String> shards = Files.readAllLines(work.resolve("records")).stream()
                .map(line -> line.split(":")[0])
                .distinct()
                .toList();
        assertThat(shards)
                .containsExactlyInAnyOrder(
                        "shardId-000000000000", "shardId-000000000001", "shardId-000000000002", "shardId-000000000003");
        // A restart after all this reads nothing again.
        try (LambdaFunctionHost host = host();
                KinesisEventSourceMapping mapping = start(host, source)) {
            Thread.sleep(1_000);
            assertThat(mapping.counters().recordsRead.sum()).isZero();
        }
    }

    private void awaitActive() throws InterruptedException {
        await(() -> kinesis.describeStreamSummary(r -> r.streamName(stream))
                .streamDescriptionSummary()
                .streamStatusAsString()
                .equals("ACTIVE"));
    }

    private KinesisEventSource source() {
        return KinesisEventSource.defaults(
                        "Records",
                        "arn:aws:kinesis:us-east-1:" + PseudoParameters.LOCAL_ACCOUNT_ID + ":stream/" + stream,
                        "TRIM_HORIZON")
                .withBatching(100, Duration.ZERO);
    }

    private KinesisEventSourceMapping start(LambdaFunctionHost host, KinesisEventSource source) {
        return KinesisEventSourceMapping.start(host, source, kinesis, work.resolve("esm"), POLL);
    }

    /** The fixture as a deployment package: its classes at the root, the Lambda libraries in lib/. */
    private LambdaFunctionHost host() throws Exception {
        Path lambda = work.resolve("package");
        if (!Files.exists(lambda)) {
            Path classes = Path.of(MarkerHandler.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
            Path fixture = Path.of(MarkerHandler.class.getPackageName().replace('.', '/'));
            Files.createDirectories(lambda.resolve(fixture));
            try (var files = Files.list(classes.resolve(fixture))) {
                for (Path file : files.toList()) {
                    Files.copy(file, lambda.resolve(fixture).resolve(file.getFileName()));
                }
            }
            Files.createDirectories(lambda.resolve("lib"));
            for (Class<?> library : List.of(RequestHandler.class, KinesisEvent.class, org.joda.time.DateTime.class)) {
                Path jar = Path.of(library.getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .toURI());
                Files.copy(jar, lambda.resolve("lib").resolve(jar.getFileName()));
            }
        }
        LambdaFunction function = new LambdaFunction(
                "FixtureFunction",
                "fixture-function",
                MarkerHandler.class.getName() + "::handleRequest",
                lambda,
                256,
                Map.of(
                        "INVOCATIONS_FILE",
                        work.resolve("invocations").toString(),
                        "RECORDS_FILE",
                        work.resolve("records").toString()),
                List.of());
        return LambdaFunctionHost.load(function, "us-east-1");
    }

    private void put(List<String> data) {
        for (String value : data) {
            sequenceNumbers.add(kinesis.putRecord(request -> request.streamName(stream)
                            .partitionKey("key-" + value)
                            .data(SdkBytes.fromUtf8String(value)))
                    .sequenceNumber());
        }
    }

    private JsonNode onlyFailure() throws Exception {
        List<String> lines = Files.readAllLines(work.resolve("esm/on-failure.jsonl"));
        assertThat(lines).hasSize(1);
        return JSON.readTree(lines.get(0));
    }

    private static List<String> data(List<String> invocations) {
        return invocations.stream()
                .flatMap(line -> List.of(line.substring(line.indexOf(':') + 1).split(",")).stream())
                .collect(Collectors.toList());
    }

    private static void await(BooleanSupplier condition) {
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(20))
                .until(condition::getAsBoolean);
    }
}
