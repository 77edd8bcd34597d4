package io.github.iottelemetry.localcloud.lambda;

import io.github.iottelemetry.localcloud.LocalCloud;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The template's Lambda functions with Kinesis event sources, running on a local cloud: for each
 * {@code AWS::Serverless::Function} whose deployment package is built, its handler loaded from the package and one
 * {@link KinesisEventSourceMapping} per enabled Kinesis event. What is skipped is listed with the reason.
 *
 * <pre>
 * try (LocalEventSourceMappings lambdas = LocalEventSourceMappings.start(cloud, LocalEventSourceMappings.LAMBDA_POLL_INTERVAL)) {
 *     ... put records; lambdas.mapping("IngestFunction").counters().recordsDone() ...
 * }
 * </pre>
 */
public final class LocalEventSourceMappings implements AutoCloseable {

    /** Lambda polls each shard about once a second when it is idle. */
    public static final Duration LAMBDA_POLL_INTERVAL = Duration.ofSeconds(1);

    private final List<LambdaFunctionHost> hosts = new ArrayList<>();
    private final Map<String, KinesisEventSourceMapping> mappings = new LinkedHashMap<>();
    private final List<String> report = new ArrayList<>();
    private EmbeddedMetricsCapture metrics;

    private LocalEventSourceMappings() {}

    public static LocalEventSourceMappings start(LocalCloud cloud, Duration pollInterval) {
        Path template = cloud.options()
                .template()
                .orElseThrow(() -> new IllegalStateException("the local cloud runs no template"));
        List<LambdaFunction> functions = LambdaFunction.fromTemplate(
                template,
                cloud.options().stackName(),
                cloud.options().region(),
                cloud.options().parameterValues());
        LocalEventSourceMappings started = new LocalEventSourceMappings();
        try {
            for (LambdaFunction function : functions) {
                started.start(cloud, function, pollInterval);
            }
            if (!started.hosts.isEmpty()) {
                started.metrics = EmbeddedMetricsCapture.install(
                        cloud.options().stateDirectory().toAbsolutePath().resolve("logs/lambda/embedded-metrics.log"));
                if (!EmbeddedMetricsCapture.metricsGoToStdout()) {
                    started.report.add("  note     AWS_EMF_ENVIRONMENT is not Local in this process: the functions' "
                            + "metrics go to a CloudWatch agent on 127.0.0.1:25888 and the console does not see them "
                            + "(./pipeline sets it)");
                }
            }
            cloud.addLiveMetrics("lambda", started::liveMetrics);
        } catch (RuntimeException e) {
            started.close();
            throw e;
        }
        return started;
    }

    /** The Lambda environment of a function on this local cloud: the template's variables, the local endpoints and names. */
    public static Map<String, String> environment(LambdaFunction function, LocalCloud cloud) {
        Map<String, String> environment = new LinkedHashMap<>(function.environment());
        environment.putAll(cloud.environment());
        environment.remove("JAVA_TOOL_OPTIONS"); // for child JVMs; this JVM already has CBOR off
        environment.put("AWS_LAMBDA_FUNCTION_NAME", function.functionName());
        environment.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        environment.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(function.memoryMb()));
        environment.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + function.functionName());
        environment.put("_HANDLER", function.handler());
        environment.putIfAbsent("AWS_EMF_ENVIRONMENT", "Local");
        return environment;
    }

    private void start(LocalCloud cloud, LambdaFunction declared, Duration pollInterval) {
        if (declared.kinesisEvents().isEmpty()) {
            report.add(String.format("  skipped  %-24s no Kinesis event source", declared.logicalId()));
            return;
        }
        if (!declared.packageBuilt()) {
            report.add(String.format(
                    "  skipped  %-24s no deployment package in %s (build it: ./mvnw -pl <module> -am package)",
                    declared.logicalId(), declared.packageFolder()));
            return;
        }
        LambdaFunction function =
                declared.withPackage(declared.packageFolder(), declared.handler(), environment(declared, cloud));
        LambdaFunctionHost host =
                LambdaFunctionHost.load(function, cloud.options().region());
        hosts.add(host);
        Path state = cloud.options()
                .stateDirectory()
                .toAbsolutePath()
                .resolve("lambda")
                .resolve(function.logicalId());
        for (KinesisEventSource source : function.kinesisEvents()) {
            if (!source.enabled()) {
                report.add(String.format(
                        "  skipped  %-24s event %s is disabled (Enabled: false)", function.logicalId(), source.name()));
                continue;
            }
            KinesisEventSourceMapping mapping =
                    KinesisEventSourceMapping.start(host, source, cloud.kinesis(), state, pollInterval);
            mappings.put(function.logicalId() + "/" + source.name(), mapping);
            report.add(String.format(
                    "  running  %-24s %s <- %s (batch %d, window %d s, %s, bisect %s, retries %s, max age %s, "
                            + "item failures %s) on-failure %s",
                    function.logicalId(),
                    function.handler(),
                    source.streamName(),
                    source.batchSize(),
                    source.maximumBatchingWindow().toSeconds(),
                    source.startingPosition(),
                    source.bisectBatchOnFunctionError(),
                    source.maximumRetryAttempts() < 0 ? "unlimited" : source.maximumRetryAttempts(),
                    source.maximumRecordAge().map(age -> age.toSeconds() + " s").orElse("unlimited"),
                    source.reportBatchItemFailures(),
                    mapping.onFailureFile()));
        }
    }

    /**
     * Per mapping ({@code Function/Event}): its counters and per-shard progress; and {@code functionMetrics}, the sums
     * of the functions' embedded metrics.
     */
    public Map<String, Object> liveMetrics() {
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, Object> perMapping = new LinkedHashMap<>();
        mappings.forEach((name, mapping) -> {
            KinesisEventSourceMapping.Counters c = mapping.counters();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("stream", mapping.source().streamName());
            m.put("recordsRead", c.recordsRead.sum());
            m.put("recordsSucceeded", c.recordsSucceeded.sum());
            m.put("recordsDiscarded", c.recordsDiscarded.sum());
            m.put("invocations", c.invocations.sum());
            m.put("functionErrors", c.functionErrors.sum());
            m.put("partialFailures", c.partialFailures.sum());
            m.put("bisections", c.bisections.sum());
            m.put("retries", c.retries.sum());
            m.put("shards", mapping.shardStats());
            perMapping.put(name, m);
        });
        values.put("mappings", perMapping);
        values.put("functionMetrics", metrics == null ? Map.of() : metrics.snapshot());
        return values;
    }

    /** The mapping of {@code logicalId}'s first Kinesis event, or {@code "Function/Event"}. */
    public KinesisEventSourceMapping mapping(String name) {
        return mappings.entrySet().stream()
                .filter(entry -> entry.getKey().equals(name) || entry.getKey().startsWith(name + "/"))
                .map(Map.Entry::getValue)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "no running event source mapping " + name + "; running: " + mappings.keySet()));
    }

    public Map<String, KinesisEventSourceMapping> mappings() {
        return mappings;
    }

    /** One line per function and event: running with its settings, or skipped and why. */
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        lines.add("Lambda event source mappings:");
        lines.addAll(report);
        return lines;
    }

    @Override
    public void close() {
        mappings.values().forEach(KinesisEventSourceMapping::close);
        hosts.forEach(LambdaFunctionHost::close);
    }
}
