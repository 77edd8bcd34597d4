package io.github.iottelemetry.localcloud.bench;

import io.github.iottelemetry.localcloud.LocalCloud;
import io.github.iottelemetry.localcloud.LocalCloudOptions;
import io.github.iottelemetry.localcloud.StateFolder;
import io.github.iottelemetry.localcloud.kinesis.KinesisEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/**
 * `pipeline bench-local [seconds]`: for each Kinesis engine, the time from start to ready (engines up,
 * template provisioned) on an empty state folder and again on the same folder (warm), and the
 * PutRecords throughput of one Java client sending batches of 500 records of 600 bytes to a 4-shard
 * stream. Runs on free ports, so a `pipeline up` may keep running meanwhile.
 */
public final class LocalCloudBench {

    private static final int BATCH = 500;
    private static final int RECORD_BYTES = 600;
    private static final int SHARDS = 4;
    private static final String STREAM = "local-cloud-bench";

    public static void main(String[] args) throws IOException {
        if (args.length > 1 || (args.length == 1 && !args[0].matches("[1-9][0-9]*"))) {
            System.err.println("Usage: ./pipeline bench-local [seconds of PutRecords per engine, default 10]");
            System.exit(args[0].equals("--help") ? 0 : 2);
        }
        Duration putDuration = Duration.ofSeconds(args.length > 0 ? Integer.parseInt(args[0]) : 10);
        Path project = Path.of(System.getProperty("pipeline.home", "."))
                .toAbsolutePath()
                .normalize();
        Path template = project.resolve("template.yaml");
        Optional<Path> provisioned = Files.exists(template) ? Optional.of(template) : Optional.empty();
        System.out.printf(
                "local-cloud benchmark: %d cores, template %s, PutRecords %d x %d bytes for %d s per engine%n%n",
                Runtime.getRuntime().availableProcessors(),
                provisioned.map(Path::toString).orElse("(none: engines only)"),
                BATCH,
                RECORD_BYTES,
                putDuration.toSeconds());
        for (KinesisEngine engine : KinesisEngine.values()) {
            Path state = Files.createTempDirectory("local-cloud-bench-" + engine.cliName());
            LocalCloudOptions options = LocalCloudOptions.defaults(project)
                    .withStateDirectory(state, true)
                    .withKinesisEngine(engine)
                    .withTemplate(provisioned, Map.of())
                    .withFreePorts();
            double coldSeconds = timeStartAndStop(options);
            double warmSeconds;
            double recordsPerSecond;
            long started = System.nanoTime();
            try (LocalCloud cloud = LocalCloud.start(options.withStateDirectory(state, false))) {
                warmSeconds = (System.nanoTime() - started) / 1e9;
                recordsPerSecond = putRecordsThroughput(cloud.kinesis(), putDuration);
            }
            System.out.printf(
                    "%-13s start to ready: %5.1f s empty, %5.1f s warm   PutRecords: %,8.0f records/s%n",
                    engine.cliName(), coldSeconds, warmSeconds, recordsPerSecond);
            StateFolder.deleteRecursively(state);
        }
    }

    private static double timeStartAndStop(LocalCloudOptions options) {
        long started = System.nanoTime();
        LocalCloud cloud = LocalCloud.start(options);
        double seconds = (System.nanoTime() - started) / 1e9;
        cloud.close();
        return seconds;
    }

    /** Synchronous batches from one thread, as a single producer would send; failed entries do not count. */
    private static double putRecordsThroughput(KinesisClient kinesis, Duration duration) {
        kinesis.createStream(request -> request.streamName(STREAM).shardCount(SHARDS));
        while (kinesis.describeStreamSummary(request -> request.streamName(STREAM))
                        .streamDescriptionSummary()
                        .streamStatus()
                != StreamStatus.ACTIVE) {
            Thread.onSpinWait();
        }
        byte[] payload = new byte[RECORD_BYTES];
        Arrays.fill(payload, (byte) 'x');
        SdkBytes data = SdkBytes.fromByteArray(payload);
        List<PutRecordsRequestEntry> batch = new ArrayList<>(BATCH);
        for (int i = 0; i < BATCH; i++) {
            batch.add(PutRecordsRequestEntry.builder()
                    .partitionKey("device-" + i)
                    .data(data)
                    .build());
        }
        long accepted = 0;
        long started = System.nanoTime();
        long deadline = started + duration.toNanos();
        while (System.nanoTime() < deadline) {
            PutRecordsResponse response =
                    kinesis.putRecords(request -> request.streamName(STREAM).records(batch));
            accepted += BATCH - response.failedRecordCount();
        }
        return accepted / ((System.nanoTime() - started) / 1e9);
    }
}
