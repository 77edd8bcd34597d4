package io.github.iottelemetry.processor.cli;

import io.github.iottelemetry.core.payload.TelemetryCodec;
import io.github.iottelemetry.core.validation.TelemetryValidator;
import io.github.iottelemetry.core.validation.ValidationLimits;
import io.github.iottelemetry.processor.output.OutputClients;
import io.github.iottelemetry.processor.output.WindowOutput;
import io.github.iottelemetry.processor.replay.HourRange;
import io.github.iottelemetry.processor.replay.RawArchive;
import io.github.iottelemetry.processor.replay.RawReplay;
import io.github.iottelemetry.processor.replay.ReplaySummary;
import io.github.iottelemetry.processor.window.AggregationSettings;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/** {@code stream-processor replay}: aggregates rebuilt from the lake's raw archive for a range of ingest hours. */
@Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        header = "Rebuild aggregates from the raw archive for a range of ingest hours; a second run changes nothing.",
        description = {
            "Rebuilds window aggregates from the raw archive (s3://LAKE_BUCKET/raw/dt=.../hour=.../*.json.gz) of a range of "
                    + "ingest hours into DynamoDB and the Parquet lake, as the stream processor would have: for a table "
                    + "restored from an old backup, an outage longer than the stream's retention or a resolution added. "
                    + "After a processor bug, delete the wrong windows' items first: their seq sets would call them up to date.",
            "Windows already written are left as they are and partly written ones get only what they miss (message "
                    + "seq sets in DynamoDB, lake objects per shard and window), so running it twice changes nothing."
        },
        exitCodeListHeading = "Exit status:%n",
        exitCodeList = {
            "0:every raw object and line of the range was replayed",
            "1:stopped by an error (running it again is safe)",
            "2:bad arguments",
            "3:replayed, but some raw objects or lines could not be read (each listed on stderr with its key and line)"
        })
final class ReplayCommand implements Callable<Integer> {
    static final int EXIT_RAW_INPUT_SKIPPED = 3;

    @Spec
    CommandSpec spec;

    @Option(
            names = "--from",
            required = true,
            paramLabel = "YYYY-MM-DDTHH",
            description = "First ingest hour to replay, UTC (the raw zone's dt and hour).")
    String from;

    @Option(
            names = "--to",
            paramLabel = "YYYY-MM-DDTHH",
            description = "Last ingest hour to replay, included (default: --from).")
    String to;

    @Option(
            names = "--device",
            paramLabel = "ID",
            split = ",",
            description = "Only this device's records (repeat, or separate with commas); default every device.")
    List<String> devices = new ArrayList<>();

    @Option(
            names = "--dry-run",
            description = "Read, validate and fold, but write nothing: shows what would be written.")
    boolean dryRun;

    @Option(names = "--json", description = "Print the summary as JSON.")
    boolean json;

    @Mixin
    AggregatesOptions aggregates;

    @Override
    public Integer call() {
        HourRange range;
        AggregationSettings aggregation;
        ValidationLimits limits;
        try {
            range = HourRange.parse(from, to);
            limits = ValidationLimits.fromEnvironment(System.getenv());
            aggregation = aggregates.aggregation(limits);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        for (String device : devices) {
            if (!TelemetryCodec.isThingName(device)) {
                throw new ParameterException(
                        spec.commandLine(),
                        "--device \"" + device + "\": not a device id (1 to 128 of A-Z a-z 0-9 : _ -)");
            }
        }
        require(aggregates.lakeBucket, "--lake-bucket or LAKE_BUCKET");
        if (!dryRun) {
            require(aggregates.aggregatesTable, "--aggregates-table or AGGREGATES_TABLE");
        }
        ExecutorService io = Executors.newFixedThreadPool(aggregates.writeThreads, r -> {
            Thread t = new Thread(r, "replay-writer");
            t.setDaemon(true);
            return t;
        });
        ExecutorService lakeIo = Executors.newFixedThreadPool(OutputClients.lakeThreads(aggregates.writeThreads), r -> {
            Thread t = new Thread(r, "replay-lake-writer");
            t.setDaemon(true);
            return t;
        });
        try (S3Client s3 = OutputClients.s3();
                DynamoDbClient dynamo = dryRun ? null : OutputClients.dynamoDb()) {
            WindowOutput output = dryRun
                    ? null
                    : OutputClients.windowOutput(
                            dynamo,
                            s3,
                            aggregates.aggregatesTable,
                            aggregates.lakeBucket,
                            io,
                            lakeIo,
                            aggregates.timeToLive());
            Set<String> only = new LinkedHashSet<>(devices);
            RawReplay replay = new RawReplay(
                    new RawArchive(s3, aggregates.lakeBucket),
                    new TelemetryValidator(limits),
                    aggregation,
                    output,
                    only,
                    problem -> System.err.println("replay: skipped " + problem));
            ReplaySummary summary = replay.run(range);
            System.out.print(json ? summary.json() : summary.text());
            System.out.flush();
            return summary.rawProblems() > 0 ? EXIT_RAW_INPUT_SKIPPED : 0;
        } catch (RuntimeException e) {
            System.err.println("replay: stopped: " + e.getMessage()
                    + " (windows written so far stay correct; running the same replay again is safe)");
            return 1;
        } finally {
            io.shutdownNow();
            lakeIo.shutdownNow();
        }
    }

    private void require(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new ParameterException(spec.commandLine(), "missing " + what);
        }
    }
}
