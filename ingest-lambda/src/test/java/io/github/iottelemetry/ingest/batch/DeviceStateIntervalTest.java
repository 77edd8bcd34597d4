package io.github.iottelemetry.ingest.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.iottelemetry.core.payload.Reading;
import io.github.iottelemetry.core.payload.TelemetryCodec;
import io.github.iottelemetry.core.payload.TelemetryMessage;
import io.github.iottelemetry.core.validation.TelemetryValidator;
import io.github.iottelemetry.core.validation.ValidationLimits;
import io.github.iottelemetry.ingest.lake.LakeWriter;
import io.github.iottelemetry.ingest.state.DeviceStateStore;
import io.github.iottelemetry.ingest.state.StateWriteSchedule;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The device-state interval inside a batch: which devices' states a batch writes, and that a write that failed is not
 * taken for written (its record is retried and writes it then). The table and the lake are stand-ins that record the
 * calls; the conditional write itself is covered against the local DynamoDB engine by BatchIngestorIT.
 */
class DeviceStateIntervalTest {
    private static final ExecutorService IO = Executors.newFixedThreadPool(4);
    private static final long T0 = 1_763_884_800_000L;
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(T0 + 600_000), ZoneOffset.UTC);

    @AfterAll
    static void stop() {
        IO.shutdownNow();
    }

    /** Records every state write; fails the ones for devices in {@code failing} once, as throttling would. */
    static final class RecordingStore extends DeviceStateStore {
        final List<TelemetryMessage> written = Collections.synchronizedList(new ArrayList<>());
        final Set<String> failing = Collections.synchronizedSet(new HashSet<>());

        RecordingStore() {
            super(
                    DynamoDbEnhancedClient.builder()
                            .dynamoDbClient(DynamoDbClient.builder()
                                    .region(Region.US_EAST_1)
                                    .credentialsProvider(AnonymousCredentialsProvider.create())
                                    .httpClient(UrlConnectionHttpClient.create())
                                    .build())
                            .build(),
                    "unused");
        }

        @Override
        public boolean putIfNewer(TelemetryMessage m, long now) {
            if (failing.remove(m.deviceId())) {
                throw ProvisionedThroughputExceededException.builder()
                        .message("throttled")
                        .awsErrorDetails(AwsErrorDetails.builder()
                                .errorCode("ProvisionedThroughputExceededException")
                                .build())
                        .build();
            }
            written.add(m);
            return true;
        }
    }

    static final class NoLake extends LakeWriter {
        NoLake() {
            super(
                    S3Client.builder()
                            .region(Region.US_EAST_1)
                            .credentialsProvider(AnonymousCredentialsProvider.create())
                            .httpClient(UrlConnectionHttpClient.create())
                            .build(),
                    "unused");
        }

        @Override
        public String putRaw(long hourMillis, List<IngestRecord> run) {
            return "raw";
        }
    }

    private static IngestRecord record(int index, String device, long seq, long newestTs) {
        List<Reading> readings = new ArrayList<>();
        for (int i = 9; i >= 0; i--) {
            readings.add(Reading.of(newestTs - i * 1000L, Map.of("temperature", 21.5)));
        }
        byte[] data = TelemetryCodec.encode(TelemetryMessage.fromDevice(device, seq, newestTs + 100, readings)
                .withIngest(device, newestTs + 300));
        return new IngestRecord(
                index, "shardId-000000000001", String.format("%056d", 1000 + index), newestTs + 400, data);
    }

    private static List<IngestRecord> batch(int messageOfDevice) {
        return batch(messageOfDevice, 0);
    }

    /** Message {@code messageOfDevice} of devices {@code fromDevice} to 4, one record each, indexed as Lambda does. */
    private static List<IngestRecord> batch(int messageOfDevice, int fromDevice) {
        List<IngestRecord> batch = new ArrayList<>();
        for (int device = fromDevice; device < 5; device++) {
            IngestRecord r = record(device, "dev-" + device, 100 + messageOfDevice, T0 + messageOfDevice * 10_000L);
            batch.add(new IngestRecord(batch.size(), r.shardId(), r.sequenceNumber(), r.arrivalMillis(), r.data()));
        }
        return batch;
    }

    @Test
    void aDevicesStateIsWrittenOncePerIntervalOfItsReadingTime() {
        RecordingStore store = new RecordingStore();
        BatchIngestor ingestor = new BatchIngestor(
                new TelemetryValidator(ValidationLimits.defaults()),
                store,
                new StateWriteSchedule(60),
                new NoLake(),
                IO,
                CLOCK);

        int deferred = 0;
        for (int message = 0; message < 13; message++) { // a message every 10 s per device for two minutes
            BatchOutcome outcome = ingestor.ingest(batch(message));
            assertThat(outcome.failedSequenceNumbers()).isEmpty();
            assertThat(outcome.stateWrites() + outcome.deferredStateUpdates()).isEqualTo(5);
            deferred += outcome.deferredStateUpdates();
        }

        // messages 0, 6 and 12 of each device are written (0 s, 60 s, 120 s of its reading time)
        assertThat(store.written).hasSize(15);
        assertThat(store.written).extracting(TelemetryMessage::seq).containsOnly(100L, 106L, 112L);
        assertThat(deferred).isEqualTo(5 * 10);
    }

    @Test
    void withoutAnIntervalEveryDeviceOfEveryBatchIsWritten() {
        RecordingStore store = new RecordingStore();
        BatchIngestor ingestor =
                new BatchIngestor(new TelemetryValidator(ValidationLimits.defaults()), store, new NoLake(), IO, CLOCK);

        for (int message = 0; message < 3; message++) {
            assertThat(ingestor.ingest(batch(message)).deferredStateUpdates()).isZero();
        }
        assertThat(store.written).hasSize(15);
    }

    @Test
    void aFailedStateWriteIsRetriedWithItsRecordAndNotTakenForWritten() {
        RecordingStore store = new RecordingStore();
        BatchIngestor ingestor = new BatchIngestor(
                new TelemetryValidator(ValidationLimits.defaults()),
                store,
                new StateWriteSchedule(60),
                new NoLake(),
                IO,
                CLOCK);
        store.failing.add("dev-2");

        BatchOutcome first = ingestor.ingest(batch(0));
        assertThat(first.failedSequenceNumbers()).containsExactly(String.format("%056d", 1002));
        assertThat(store.written).extracting(TelemetryMessage::deviceId).doesNotContain("dev-2");

        // Lambda retries the batch from the failed record: dev-2 is due, the others were written and are not
        BatchOutcome retry = ingestor.ingest(batch(0, 2));
        assertThat(retry.failedSequenceNumbers()).isEmpty();
        assertThat(retry.stateWrites()).isEqualTo(1);
        assertThat(retry.deferredStateUpdates()).isEqualTo(2);
        assertThat(store.written).extracting(TelemetryMessage::deviceId).containsOnlyOnce("dev-2");
    }
}
