package io.github.iottelemetry.ingest;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import io.github.iottelemetry.core.validation.TelemetryValidator;
import io.github.iottelemetry.ingest.batch.BatchIngestor;
import io.github.iottelemetry.ingest.batch.BatchOutcome;
import io.github.iottelemetry.ingest.batch.IngestRecord;
import io.github.iottelemetry.ingest.lake.LakeWriter;
import io.github.iottelemetry.ingest.state.DeviceStateStore;
import io.github.iottelemetry.ingest.state.StateWriteSchedule;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

/**
 * The Lambda entry point: wiring only. Clients, pools and the validator are built once per execution
 * environment (cold start); each invocation converts the event, runs {@link BatchIngestor} and
 * returns the records that hit a transient failure as {@code batchItemFailures}.
 */
public final class IngestHandler implements RequestHandler<KinesisEvent, StreamsEventResponse> {
    private final BatchIngestor ingestor;
    private final IngestMetrics metrics;

    /** The constructor Lambda calls: configuration from the process environment. */
    public IngestHandler() {
        this(System.getenv(), false);
    }

    /**
     * Configuration from an explicit environment: for hosts that run the handler in-process with the
     * function's environment from template.yaml (the local event source mapping, tests).
     */
    public IngestHandler(Map<String, String> environment) {
        this(environment, true);
    }

    private IngestHandler(Map<String, String> environment, boolean explicitCredentials) {
        IngestConfig config = IngestConfig.fromEnvironment(environment);
        AwsClientSettings settings = new AwsClientSettings(environment, explicitCredentials);
        ExecutorService io = Executors.newFixedThreadPool(config.ioConcurrency(), daemonThreads());
        DynamoDbClient dynamo = settings.apply(DynamoDbClient.builder(), "DYNAMODB")
                .httpClient(UrlConnectionHttpClient.create())
                .build();
        S3Client s3 = settings.applyS3(S3Client.builder())
                .httpClient(UrlConnectionHttpClient.create())
                .forcePathStyle(config.pathStyleS3())
                .build();
        this.ingestor = new BatchIngestor(
                new TelemetryValidator(config.limits()),
                new DeviceStateStore(
                        DynamoDbEnhancedClient.builder().dynamoDbClient(dynamo).build(), config.deviceStateTable()),
                new StateWriteSchedule(config.deviceStateIntervalSeconds()),
                new LakeWriter(s3, config.lakeBucket()),
                io,
                Clock.systemUTC());
        this.metrics = new IngestMetrics(environment);
    }

    @Override
    public StreamsEventResponse handleRequest(KinesisEvent event, Context context) {
        return PowertoolsLogging.withLogging(context, () -> {
            BatchOutcome outcome = ingestor.ingest(toRecords(event));
            metrics.publish(outcome);
            List<StreamsEventResponse.BatchItemFailure> failures = new ArrayList<>();
            for (String seq : outcome.failedSequenceNumbers()) {
                failures.add(new StreamsEventResponse.BatchItemFailure(seq));
            }
            return new StreamsEventResponse(failures);
        });
    }

    static List<IngestRecord> toRecords(KinesisEvent event) {
        List<KinesisEvent.KinesisEventRecord> in = event.getRecords() == null ? List.of() : event.getRecords();
        List<IngestRecord> out = new ArrayList<>(in.size());
        for (int i = 0; i < in.size(); i++) {
            KinesisEvent.KinesisEventRecord r = in.get(i);
            KinesisEvent.Record k = r.getKinesis();
            ByteBuffer data = k.getData().asReadOnlyBuffer();
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            long arrival = k.getApproximateArrivalTimestamp() != null
                    ? k.getApproximateArrivalTimestamp().getTime()
                    : System.currentTimeMillis();
            out.add(new IngestRecord(
                    i, IngestRecord.shardIdOfEventId(r.getEventID()), k.getSequenceNumber(), arrival, bytes));
        }
        return out;
    }

    private static java.util.concurrent.ThreadFactory daemonThreads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "ingest-io-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
