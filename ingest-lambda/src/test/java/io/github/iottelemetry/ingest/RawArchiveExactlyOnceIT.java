package io.github.iottelemetry.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.iottelemetry.core.lake.RawArchiveLine;
import io.github.iottelemetry.core.payload.Reading;
import io.github.iottelemetry.core.payload.TelemetryCodec;
import io.github.iottelemetry.core.payload.TelemetryMessage;
import io.github.iottelemetry.core.validation.TelemetryValidator;
import io.github.iottelemetry.core.validation.ValidationLimits;
import io.github.iottelemetry.ingest.batch.BatchIngestor;
import io.github.iottelemetry.ingest.batch.BatchOutcome;
import io.github.iottelemetry.ingest.batch.IngestRecord;
import io.github.iottelemetry.ingest.lake.LakeWriter;
import io.github.iottelemetry.ingest.state.DeviceStateStore;
import io.github.iottelemetry.localcloud.LocalCloud;
import io.github.iottelemetry.localcloud.LocalCloudExtension;
import io.github.iottelemetry.localcloud.LocalCloudOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The raw archive holds every valid Kinesis record exactly once, whatever Lambda does with the batches: records
 * of two ingest hours interleaved (the IoT rule's ingest time is not monotonic across its executions), in-batch
 * redeliveries, and invocations that time out after their writes (Lambda bisects the batch), that throttle on a
 * device's state or fail a raw write (the function reports the record, Lambda retries from the lowest one). Lambda's
 * side is modelled as its documented semantics (the local event source mapping implements the same), the
 * function's side is the real BatchIngestor on the local engines.
 */
class RawArchiveExactlyOnceIT {
    private static final long HOUR = 3_600_000L;
    private static final long BASE_HOUR = (System.currentTimeMillis() / HOUR - 1) * HOUR;
    private static final AtomicInteger SHARDS = new AtomicInteger(200);
    private static final ExecutorService IO = Executors.newFixedThreadPool(8);
    private static Path state;
    private static LocalCloud cloud;
    private static S3Client s3;
    private static String bucket;

    @BeforeContainer
    static void start() throws IOException {
        state = Files.createTempDirectory("raw-exactly-once-");
        cloud = LocalCloud.start(LocalCloudOptions.defaults(state)
                .withStateDirectory(state, true)
                .withTemplate(Optional.of(LocalCloudExtension.projectTemplate()), Map.of())
                .withFreePorts());
        s3 = cloud.s3();
        bucket = cloud.environment().get("LAKE_BUCKET");
    }

    @AfterContainer
    static void stop() {
        IO.shutdownNow();
        if (cloud != null) {
            cloud.close();
        }
    }

    /** What goes wrong in one invocation. */
    enum Fault {
        NONE,
        TIMEOUT_AFTER_WRITES,
        TIMEOUT_DURING_WRITES,
        THROTTLE_A_DEVICE,
        FAIL_A_RAW_WRITE
    }

    /** One record: its device and seq, the ingest hour (0 or 1), and whether the broker delivered it twice in a row. */
    record Message(int device, boolean laterHour, boolean redelivered) {}

    @Property(tries = 40)
    void everyValidRecordIsArchivedExactlyOnce(
            @ForAll("messages") List<Message> messages,
            @ForAll("faults") List<Fault> faults,
            @ForAll("batchSizes") int batchSize) {
        String shard = String.format("shardId-%012d", SHARDS.incrementAndGet());
        List<IngestRecord> stream = records(shard, messages);
        Iterator<Fault> plan = faults.iterator();
        FaultyState stateStore = new FaultyState();
        FaultyLake lake = new FaultyLake();
        BatchIngestor function = new BatchIngestor(
                new TelemetryValidator(ValidationLimits.defaults()), stateStore, lake, IO, Clock.systemUTC());

        int checkpoint = 0;
        int invocations = 0;
        while (checkpoint < stream.size()) {
            List<IngestRecord> batch = stream.subList(checkpoint, Math.min(stream.size(), checkpoint + batchSize));
            Deque<List<IngestRecord>> work = new ArrayDeque<>(List.of(batch));
            while (!work.isEmpty()) {
                List<IngestRecord> records = work.pollFirst();
                Fault fault = plan.hasNext() ? plan.next() : Fault.NONE;
                assertThat(++invocations)
                        .as("invocations (faults run out, so this ends)")
                        .isLessThan(10_000);
                stateStore.throttle =
                        fault == Fault.THROTTLE_A_DEVICE ? deviceOf(records.get(records.size() / 2)) : null;
                lake.failRunHolding = fault == Fault.FAIL_A_RAW_WRITE || fault == Fault.TIMEOUT_DURING_WRITES
                        ? records.get(records.size() / 2).sequenceNumber()
                        : null;
                BatchOutcome outcome = function.ingest(reindexed(records));
                if (fault == Fault.TIMEOUT_AFTER_WRITES || fault == Fault.TIMEOUT_DURING_WRITES) {
                    // Timed out after all its writes, or in the middle of them (a run not written): no response either
                    // way.
                    // Lambda sees a function error: with BisectBatchOnFunctionError it splits the batch, else retries
                    // it.
                    if (records.size() > 1) {
                        work.addFirst(records.subList(records.size() / 2, records.size()));
                        work.addFirst(records.subList(0, records.size() / 2));
                    } else {
                        work.addFirst(records);
                    }
                } else if (!outcome.failedSequenceNumbers().isEmpty()) {
                    // ReportBatchItemFailures: retried from the lowest reported sequence number.
                    int from = indexOf(records, outcome.failedSequenceNumbers());
                    work.addFirst(records.subList(from, records.size()));
                }
            }
            checkpoint += batch.size();
        }

        Map<String, Integer> archived = new TreeMap<>();
        for (String key : keysOf(shard)) {
            for (byte[] line : lines(key)) {
                try {
                    archived.merge(RawArchiveLine.parse(line).sequenceNumber(), 1, Integer::sum);
                } catch (Exception e) {
                    throw new AssertionError(
                            "raw object " + key + " has a line that is not the archive's: " + e.getMessage(), e);
                }
            }
        }
        Set<String> expected = new HashSet<>();
        stream.forEach(record -> expected.add(record.sequenceNumber()));
        assertThat(archived.keySet()).as("records archived").isEqualTo(expected);
        assertThat(archived)
                .as("times each record is archived")
                .allSatisfy((seq, times) -> assertThat(times).as(seq).isEqualTo(1));
    }

    @Provide
    Arbitrary<List<Message>> messages() {
        return Combinators.combine(
                        Arbitraries.integers().between(0, 3),
                        Arbitraries.integers().between(0, 9).map(i -> i < 3),
                        Arbitraries.integers().between(0, 9).map(i -> i == 0))
                .as(Message::new)
                .list()
                .ofMinSize(1)
                .ofMaxSize(40);
    }

    @Provide
    Arbitrary<List<Fault>> faults() {
        return Arbitraries.of(Fault.class).list().ofMaxSize(12);
    }

    @Provide
    Arbitrary<Integer> batchSizes() {
        return Arbitraries.integers().between(1, 16);
    }

    /** Kinesis records as the IoT rule writes them: a device's seqs increase, the ingest hour is one of two. */
    private static List<IngestRecord> records(String shard, List<Message> messages) {
        List<IngestRecord> records = new ArrayList<>();
        int[] seqs = new int[4];
        for (Message m : messages) {
            String device = "exact-" + shard.substring(shard.length() - 4) + "-" + m.device();
            long ingest = BASE_HOUR + (m.laterHour() ? HOUR : 0) + 1_000;
            TelemetryMessage message = TelemetryMessage.fromDevice(
                            device,
                            ++seqs[m.device()],
                            ingest - 100,
                            List.of(Reading.of(ingest - 200, Map.of("temperature", 20.0 + seqs[m.device()]))))
                    .withIngest(device, ingest);
            byte[] data = TelemetryCodec.encode(message);
            for (int copy = 0; copy < (m.redelivered() ? 2 : 1); copy++) {
                records.add(new IngestRecord(
                        records.size(), shard, String.format("%056d", 1_000 + records.size()), ingest + 50, data));
            }
        }
        return records;
    }

    private static List<IngestRecord> reindexed(List<IngestRecord> records) {
        List<IngestRecord> batch = new ArrayList<>(records.size());
        for (IngestRecord r : records) {
            batch.add(new IngestRecord(batch.size(), r.shardId(), r.sequenceNumber(), r.arrivalMillis(), r.data()));
        }
        return batch;
    }

    private static int indexOf(List<IngestRecord> records, List<String> failed) {
        for (int i = 0; i < records.size(); i++) {
            if (failed.contains(records.get(i).sequenceNumber())) {
                return i;
            }
        }
        throw new AssertionError("reported failures " + failed + " are not in the batch");
    }

    private static String deviceOf(IngestRecord record) {
        try {
            return TelemetryCodec.decode(record.data()).deviceId();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> keysOf(String shard) {
        return s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix("raw/")).contents().stream()
                .map(S3Object::key)
                .filter(key -> key.contains("/" + shard + "-"))
                .toList();
    }

    private static List<byte[]> lines(String key) {
        byte[] gz = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            String content = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            return Arrays.stream(content.split("\n"))
                    .filter(line -> !line.isBlank())
                    .map(line -> line.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The device-state table, throttling one device's write when told to (DynamoDB's answer to a hot key). */
    private static final class FaultyState extends DeviceStateStore {
        volatile String throttle;

        FaultyState() {
            super(cloud.dynamoDbEnhanced(), cloud.environment().get("DEVICE_STATE_TABLE"));
        }

        @Override
        public boolean putIfNewer(TelemetryMessage m, long now) {
            if (m.deviceId().equals(throttle)) {
                throw ProvisionedThroughputExceededException.builder()
                        .message("throttled by the test")
                        .statusCode(400)
                        .awsErrorDetails(AwsErrorDetails.builder()
                                .errorCode("ProvisionedThroughputExceededException")
                                .serviceName("DynamoDb")
                                .build())
                        .build();
            }
            return super.putIfNewer(m, now);
        }
    }

    /**
     * The lake, failing the raw write of the run that holds a given record when told to (S3's 503 SlowDown). The other
     * runs are written: with a timeout, that is an invocation cut off while its writes were under way.
     */
    private static final class FaultyLake extends LakeWriter {
        volatile String failRunHolding;

        FaultyLake() {
            super(s3, bucket);
        }

        @Override
        public String putRaw(long hourMillis, List<IngestRecord> run) {
            if (run.stream().anyMatch(record -> record.sequenceNumber().equals(failRunHolding))) {
                throw S3Exception.builder()
                        .statusCode(503)
                        .message("SlowDown (the test)")
                        .awsErrorDetails(AwsErrorDetails.builder()
                                .errorCode("SlowDown")
                                .serviceName("S3")
                                .build())
                        .build();
            }
            return super.putRaw(hourMillis, run);
        }
    }
}
