package io.github.iottelemetry.cost;

import io.github.iottelemetry.core.text.DurationText;
import io.github.iottelemetry.cost.estimate.CapacityChecker;
import io.github.iottelemetry.cost.estimate.CostEstimate;
import io.github.iottelemetry.cost.estimate.CostModel;
import io.github.iottelemetry.cost.estimate.ModelAssumptions;
import io.github.iottelemetry.cost.fleet.FleetWorkload;
import io.github.iottelemetry.cost.price.PriceTable;
import io.github.iottelemetry.cost.price.ServiceQuotas;
import io.github.iottelemetry.cost.report.CostReport;
import io.github.iottelemetry.cost.report.JsonReport;
import io.github.iottelemetry.cost.report.TableReport;
import io.github.iottelemetry.cost.settings.PipelineSettings;
import io.github.iottelemetry.cost.settings.TemplateSettingsReader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pipeline cost}: the monthly AWS bill of template.yaml's pipeline for a fleet, with capacity checks. */
@Command(
        name = "pipeline cost",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Estimates what the pipeline in template.yaml costs on AWS a month for a fleet: IoT Core, Kinesis, Lambda,",
            "DynamoDB, S3, Athena, CloudWatch and ECS Fargate, from the template's settings and the bundled price table,",
            "with capacity checks against AWS limits and a comparison with the naive design. Without --param it prices the",
            "template's defaults as scripts/deploy deploys them (the stream processor included)."
        })
public final class CostCommand implements Callable<Integer> {

    /** The template parameter that decides whether the stack runs the stream processor. */
    static final String STREAM_PROCESSOR_IMAGE = "StreamProcessorImage";
    /** What scripts/deploy sets it to, in shape: the stack's repository and a tag. */
    static final String IMAGE_AS_DEPLOYED = "stream-processor:as-deployed";

    @Option(names = "--devices", required = true, description = "Devices in the fleet.")
    long devices;

    @Option(
            names = "--interval",
            required = true,
            description =
                    "Time between two readings of one device, e.g. 1s, 500ms, 5m. A device publishes every interval x batch.")
    String interval;

    @Option(
            names = "--batch",
            defaultValue = "1",
            description = "Readings per MQTT message (device-side batching, 1-500). Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--metrics", defaultValue = "4", description = "Metrics per reading. Default: ${DEFAULT-VALUE}.")
    int metrics;

    @Option(
            names = "--region",
            defaultValue = "us-east-1",
            description = "AWS region to price. Default: ${DEFAULT-VALUE}.")
    String region;

    @Option(
            names = "--param",
            paramLabel = "Key=Value",
            description = "Template parameter value, as for a deploy (repeatable), e.g. --param ShardCount=4.")
    List<String> parameters = List.of();

    @Option(
            names = "--template",
            description = "The pipeline template. Default: template.yaml in the project directory.")
    Path template;

    @Option(names = "--format", defaultValue = "table", description = "table or json. Default: ${DEFAULT-VALUE}.")
    String format;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command; returns the exit status (0 estimate printed, 2 bad input). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine commandLine = new CommandLine(new CostCommand());
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler((exception, line, parsed) -> {
            if (exception instanceof CostInputException) {
                err.println("pipeline cost: " + exception.getMessage());
                return 2;
            }
            throw exception;
        });
        return commandLine.execute(args);
    }

    /** The devices' reporting interval; a {@link CostInputException} when it is not a positive duration. */
    private double intervalSeconds() {
        double seconds;
        try {
            seconds = DurationText.parse(interval, "--interval").toMillis() / 1000.0;
        } catch (IllegalArgumentException e) {
            throw new CostInputException(e.getMessage());
        }
        if (seconds <= 0) {
            throw new CostInputException("--interval '" + interval + "': must be longer than zero");
        }
        return seconds;
    }

    @Override
    public Integer call() {
        if (!format.equals("table") && !format.equals("json")) {
            throw new CostInputException("--format " + format + ": expected table or json");
        }
        FleetWorkload fleet = new FleetWorkload(devices, intervalSeconds(), batch, metrics);
        PriceTable priceTable = PriceTable.bundled();
        PriceTable.RegionPrices prices = priceTable.region(region);
        // scripts/deploy always pushes the processor's image and sets this parameter, which creates the ECS service
        PipelineSettings settings = TemplateSettingsReader.read(
                templatePath(), parameterValues(), region, Map.of(STREAM_PROCESSOR_IMAGE, IMAGE_AS_DEPLOYED));

        ModelAssumptions assumptions = ModelAssumptions.standard();
        CostModel model = new CostModel(prices, assumptions);
        CostEstimate design = model.design(fleet, settings);
        CostEstimate naive = model.naive(fleet, settings);
        CostReport report = new CostReport(
                region,
                "cost/src/main/resources" + PriceTable.RESOURCE,
                priceTable.newestCheck(),
                priceTable.oldestCheck(),
                fleet,
                settings,
                design,
                naive,
                new CapacityChecker(ServiceQuotas.bundled(), region, model, assumptions).check(fleet, settings, design),
                assumptions.describe());
        spec.commandLine()
                .getOut()
                .print(
                        format.equals("json")
                                ? JsonReport.render(report) + System.lineSeparator()
                                : TableReport.render(report));
        spec.commandLine().getOut().flush();
        return 0;
    }

    private Path templatePath() {
        if (template != null) {
            return template;
        }
        String home = System.getProperty("pipeline.home");
        return home == null ? Path.of("template.yaml") : Path.of(home, "template.yaml");
    }

    private Map<String, String> parameterValues() {
        Map<String, String> values = new LinkedHashMap<>();
        for (String parameter : parameters) {
            int equals = parameter.indexOf('=');
            if (equals <= 0) {
                throw new CostInputException(
                        "--param " + parameter + ": expected Key=Value, e.g. --param ShardCount=4");
            }
            String key = parameter.substring(0, equals).trim();
            if (values.put(key, parameter.substring(equals + 1).trim()) != null) {
                throw new CostInputException("--param " + key + " is given twice");
            }
        }
        return values;
    }
}
