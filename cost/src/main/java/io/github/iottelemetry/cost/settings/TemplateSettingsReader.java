package io.github.iottelemetry.cost.settings;

import io.github.iottelemetry.core.window.Resolution;
import io.github.iottelemetry.cost.CostInputException;
import io.github.iottelemetry.cost.settings.PipelineSettings.Processor;
import io.github.iottelemetry.iotrules.IotSqlParseException;
import io.github.iottelemetry.iotrules.IotSqlStatement;
import io.github.iottelemetry.template.CfnTemplate;
import io.github.iottelemetry.template.PseudoParameters;
import io.github.iottelemetry.template.ResolvedResource;
import io.github.iottelemetry.template.ResolvedTemplate;
import io.github.iottelemetry.template.TemplateException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the settings that decide the bill from template.yaml through template-model: the template is resolved
 * with the user's {@code --param} values (others take their defaults), then the cost-relevant properties are
 * read from the resources the stack would create. Everything the model needs and the template lacks is reported
 * at once, by name, with what it is needed for.
 */
public final class TemplateSettingsReader {

    /** The ingest function's logical id (DESIGN.md). */
    public static final String INGEST_FUNCTION = "IngestFunction";
    /** A telemetry topic as a device publishes it, to match the rules' topic filters against. */
    static final String SAMPLE_TELEMETRY_TOPIC = "dt/telemetry/sim-000042";

    /** Shared-throughput readers of the whole stream: the ingest function's event source mapping and the stream processor. */
    static final int KINESIS_CONSUMERS = 2;
    /** The tables' logical ids (DESIGN.md's storage contracts and KCL's lease table). */
    static final String DEVICE_STATE_TABLE = "DeviceStateTable";

    static final String AGGREGATES_TABLE = "AggregatesTable";
    static final String LEASE_TABLE = "KclLeaseTable";
    /** The stream processor's defaults when its environment leaves a setting out (stream-processor AggregatesOptions). */
    static final int PROCESSOR_DEFAULT_TTL_DAYS = 365;

    static final int PROCESSOR_DEFAULT_MAX_OPEN_SECONDS = 300;
    /** Images counted for a repository without an imageCountMoreThan rule. */
    static final int UNBOUNDED_IMAGES_ASSUMED = 10;

    private static final String STACK_NAME = io.github.iottelemetry.template.StackNames.AWS_DEFAULT;
    private static final String ACCOUNT_FOR_ESTIMATES = "123456789012";

    private final List<String> missing = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    private TemplateSettingsReader() {}

    /**
     * @param template path of template.yaml
     * @param parameterOverrides {@code --param} values by parameter name
     * @param region the region whose pseudo parameters the template is resolved with
     * @throws CostInputException when the template cannot be read or resolved, an override names no parameter, or
     *     parameters or resources the model needs are missing
     */
    public static PipelineSettings read(Path template, Map<String, String> parameterOverrides, String region) {
        return read(template, parameterOverrides, region, Map.of());
    }

    /**
     * As {@link #read(Path, Map, String)}; {@code asDeployed} holds the values the deploy script always passes, used for
     * the template's parameters of those names that {@code parameterOverrides} leaves out (and said so in the notes).
     */
    public static PipelineSettings read(
            Path template, Map<String, String> parameterOverrides, String region, Map<String, String> asDeployed) {
        if (!Files.isRegularFile(template)) {
            throw new CostInputException("template " + template
                    + " does not exist; pass --template with the path of the" + " project's template.yaml");
        }
        CfnTemplate cfn;
        ResolvedTemplate resolved;
        List<String> notes = new ArrayList<>();
        try {
            cfn = CfnTemplate.load(template);
            for (String name : parameterOverrides.keySet()) {
                if (!cfn.parameters().containsKey(name)) {
                    throw new CostInputException("--param " + name + "=" + parameterOverrides.get(name) + ": "
                            + template + " has no parameter " + name + " (parameters: "
                            + String.join(", ", cfn.parameters().keySet()) + ")");
                }
            }
            Map<String, String> values = new java.util.LinkedHashMap<>(parameterOverrides);
            asDeployed.forEach((name, value) -> {
                if (cfn.parameters().containsKey(name) && !values.containsKey(name)) {
                    values.put(name, value);
                    notes.add("priced as scripts/deploy deploys the stack: " + name + " set (" + value
                            + ") as the script always does" + " (--param " + name + "=... overrides it)");
                }
            });
            resolved = cfn.resolve(values, PseudoParameters.of(STACK_NAME, region, ACCOUNT_FOR_ESTIMATES));
        } catch (TemplateException e) {
            throw new CostInputException("cannot read the pipeline's settings from the template: " + e.getMessage(), e);
        }
        TemplateSettingsReader reader = new TemplateSettingsReader();
        reader.notes.addAll(notes);
        return reader.settings(template.toString(), cfn, resolved);
    }

    private CfnTemplate written;

    private PipelineSettings settings(String source, CfnTemplate cfn, ResolvedTemplate stack) {
        this.written = cfn;
        List<Resolution> resolutions = resolutions(stack);
        Integer lateness =
                intParameter(stack, "AllowedLatenessSeconds", "how long windows stay open in the stream processor");
        Boolean basicIngest = booleanParameter(stack, "UseBasicIngest", "whether IoT Core bills messaging");
        Integer retentionDays = intParameter(stack, "DataRetentionDays", "S3 and DynamoDB storage over the retention");

        Optional<ResolvedResource> stream =
                single(stack, "AWS::Kinesis::Stream", "the Kinesis stream (shards, retention)");
        Optional<ResolvedResource> function = stack.resource(INGEST_FUNCTION);
        if (function.isEmpty()) {
            missing.add("resource " + INGEST_FUNCTION
                    + " (the ingest Lambda: MemorySize, its Kinesis event's BatchSize and batching window)");
        }
        Optional<ResolvedResource> lake = lakeBucket(stack);
        List<ResolvedResource> rules = telemetryRules(stack);
        if (rules.isEmpty()) {
            missing.add("an AWS::IoT::TopicRule whose FROM topic filter matches " + SAMPLE_TELEMETRY_TOPIC
                    + " (rules triggered and actions executed per message)");
        }
        if (!missing.isEmpty()) {
            throw new CostInputException(source + " lacks what the cost model reads: " + String.join("; ", missing)
                    + ". Pass --template with a complete pipeline template.");
        }

        ResolvedResource streamResource = stream.orElseThrow();
        String mode =
                streamResource.stringProperty("StreamModeDetails", "StreamMode").orElse("PROVISIONED");
        boolean onDemand = mode.equals("ON_DEMAND");
        int shards = onDemand ? 0 : intProperty(streamResource, "ShardCount", null);
        if (!onDemand && shards < 1) {
            throw new CostInputException(source + " resource " + streamResource.logicalId()
                    + ": a PROVISIONED stream needs ShardCount of at least 1, got " + shards);
        }
        int streamRetention = intProperty(streamResource, "RetentionPeriodHours", 24);

        RuleUse ruleUse = ruleUse(rules, basicIngest);
        Processor processor = processor(source, stack);
        ResolvedResource lakeResource = lake.orElseThrow();
        tableNotes(stack);

        return new PipelineSettings(
                source,
                new PipelineSettings.Stream(
                        onDemand,
                        shards,
                        streamRetention,
                        processor.deployed() ? KINESIS_CONSUMERS : KINESIS_CONSUMERS - 1),
                new PipelineSettings.Rules(
                        basicIngest,
                        ruleUse.rules(),
                        ruleUse.actions(),
                        ruleUse.cloudWatchMetricActions(),
                        ruleUse.cloudWatchLogsActions()),
                ingest(source, function.orElseThrow()),
                aggregation(source, stack, resolutions, lateness, retentionDays),
                processor,
                new PipelineSettings.Tables(
                        pitr(stack, DEVICE_STATE_TABLE), pitr(stack, AGGREGATES_TABLE), pitr(stack, LEASE_TABLE)),
                new PipelineSettings.Lake(
                        retentionDays,
                        lifecycle(source, lakeResource),
                        lakeResource
                                .stringProperty("VersioningConfiguration", "Status")
                                .map("Enabled"::equals)
                                .orElse(false),
                        noncurrentDays(source, lakeResource),
                        resultsExpirationDays(source, stack, lakeResource)),
                new PipelineSettings.Observability(
                        stack.resourcesOfType("AWS::CloudWatch::Alarm").size(),
                        stack.resourcesOfType("AWS::CloudWatch::Dashboard").size(),
                        logRetentionDays(stack),
                        stack.resourcesOfType("AWS::KMS::Key").size(),
                        imagesKept(stack)),
                notes);
    }

    private PipelineSettings.Ingest ingest(String source, ResolvedResource ingest) {
        Map<String, Object> kinesisEvent = kinesisEvent(source, ingest);
        int batchSize =
                intValue(kinesisEvent.get("BatchSize"), 100, source, INGEST_FUNCTION + " Kinesis event BatchSize");
        int window = intValue(
                kinesisEvent.get("MaximumBatchingWindowInSeconds"),
                0,
                source,
                INGEST_FUNCTION + " Kinesis event MaximumBatchingWindowInSeconds");
        int parallelization = intValue(
                kinesisEvent.get("ParallelizationFactor"),
                1,
                source,
                INGEST_FUNCTION + " Kinesis event ParallelizationFactor");
        int memory = intProperty(ingest, "MemorySize", 128);
        String architecture = ingest.property("Architectures")
                .filter(List.class::isInstance)
                .map(list -> String.valueOf(((List<?>) list).get(0)))
                .orElse("x86_64");
        boolean tracing = ingest.stringProperty("Tracing").map("Active"::equals).orElse(false);
        int stateInterval = intValue(
                ingest.property("Environment", "Variables", "DEVICE_STATE_INTERVAL_SECONDS")
                        .orElse(null),
                0,
                source,
                INGEST_FUNCTION + " environment DEVICE_STATE_INTERVAL_SECONDS");
        return new PipelineSettings.Ingest(
                memory,
                architecture.toLowerCase(Locale.ROOT),
                batchSize,
                window,
                parallelization,
                tracing,
                stateInterval);
    }

    /**
     * The stream-processor service as ECS runs it, or none when the stack leaves it out (StreamProcessorImage empty):
     * the task definition's size, the scalable target's minimum and maximum, the public IP, KCL's own metrics.
     */
    private Processor processor(String source, ResolvedTemplate stack) {
        List<ResolvedResource> taskDefinitions = stack.resourcesOfType("AWS::ECS::TaskDefinition");
        List<ResolvedResource> services = stack.resourcesOfType("AWS::ECS::Service");
        if (taskDefinitions.isEmpty() || services.isEmpty()) {
            notes.add(
                    "the stack as resolved runs no stream-processor service (no AWS::ECS::Service: StreamProcessorImage is"
                            + " empty), so ECS Fargate, KCL's lease table traffic and the aggregates are not priced");
            return Processor.none();
        }
        if (taskDefinitions.size() > 1 || services.size() > 1) {
            throw new CostInputException("the template has " + taskDefinitions.size() + " task definitions and "
                    + services.size() + " ECS services; the cost model expects one stream-processor service");
        }
        ResolvedResource task = taskDefinitions.get(0);
        ResolvedResource service = services.get(0);
        double vcpu =
                doubleValue(task.property("Cpu").orElse(null), source, "resource " + task.logicalId() + " Cpu") / 1024;
        double memoryGb =
                doubleValue(task.property("Memory").orElse(null), source, "resource " + task.logicalId() + " Memory")
                        / 1024;
        String cpuArchitecture =
                task.stringProperty("RuntimePlatform", "CpuArchitecture").orElse("X86_64");
        int desired = intProperty(service, "DesiredCount", 1);
        Optional<ResolvedResource> scaling =
                stack.resourcesOfType("AWS::ApplicationAutoScaling::ScalableTarget").stream()
                        .filter(target -> target.stringProperty("ScalableDimension")
                                .map("ecs:service:DesiredCount"::equals)
                                .orElse(false))
                        .findFirst();
        int minTasks = scaling.map(target -> intProperty(target, "MinCapacity", desired))
                .orElse(desired);
        int maxTasks = scaling.map(target -> intProperty(target, "MaxCapacity", minTasks))
                .orElse(minTasks);
        boolean publicIp = service.stringProperty("NetworkConfiguration", "AwsvpcConfiguration", "AssignPublicIp")
                .map("ENABLED"::equals)
                .orElse(false);
        boolean kclMetrics =
                Boolean.parseBoolean(containerEnvironment(task).getOrDefault("KCL_CLOUDWATCH_METRICS", "false"));
        return new Processor(
                true,
                Math.max(1, minTasks),
                Math.max(minTasks, maxTasks),
                vcpu,
                memoryGb,
                cpuArchitecture.toUpperCase(Locale.ROOT),
                publicIp,
                kclMetrics);
    }

    /**
     * What the stream processor is told about windows and their time to live (its container environment), with the
     * processor's own defaults where the template sets nothing; without the service, the template's retention.
     */
    private PipelineSettings.Aggregation aggregation(
            String source, ResolvedTemplate stack, List<Resolution> resolutions, int lateness, int retentionDays) {
        Map<String, String> env = stack.resourcesOfType("AWS::ECS::TaskDefinition").stream()
                .findFirst()
                .map(TemplateSettingsReader::containerEnvironment)
                .orElse(Map.of());
        int ttlDays = intValue(
                env.get("AGGREGATES_TTL_DAYS"),
                PROCESSOR_DEFAULT_TTL_DAYS,
                source,
                "stream-processor environment AGGREGATES_TTL_DAYS");
        int shortTtlDays = intValue(
                env.get("AGGREGATES_SHORT_WINDOW_TTL_DAYS"),
                ttlDays,
                source,
                "stream-processor environment AGGREGATES_SHORT_WINDOW_TTL_DAYS");
        int maxOpen = intValue(
                env.get("MAX_OPEN_SECONDS"),
                PROCESSOR_DEFAULT_MAX_OPEN_SECONDS,
                source,
                "stream-processor environment MAX_OPEN_SECONDS");
        if (env.isEmpty()) {
            ttlDays = retentionDays;
            shortTtlDays = retentionDays;
        }
        return new PipelineSettings.Aggregation(resolutions, lateness, maxOpen, shortTtlDays, ttlDays);
    }

    /** The first container's environment of a task definition, by name. */
    private static Map<String, String> containerEnvironment(ResolvedResource task) {
        Map<String, String> env = new java.util.LinkedHashMap<>();
        if (task.property("ContainerDefinitions").orElse(null) instanceof List<?> containers
                && !containers.isEmpty()
                && containers.get(0) instanceof Map<?, ?> container
                && container.get("Environment") instanceof List<?> entries) {
            for (Object entry : entries) {
                if (entry instanceof Map<?, ?> variable
                        && variable.get("Name") != null
                        && variable.get("Value") != null) {
                    env.put(String.valueOf(variable.get("Name")), String.valueOf(variable.get("Value")));
                }
            }
        }
        return env;
    }

    private static boolean pitr(ResolvedTemplate stack, String logicalId) {
        return stack.resource(logicalId)
                .flatMap(table -> table.property("PointInTimeRecoverySpecification", "PointInTimeRecoveryEnabled"))
                .map(value -> Boolean.parseBoolean(value.toString()))
                .orElse(false);
    }

    private static int noncurrentDays(String source, ResolvedResource bucket) {
        if (bucket.property("LifecycleConfiguration", "Rules").orElse(null) instanceof List<?> rules) {
            for (Object entry : rules) {
                if (entry instanceof Map<?, ?> rule
                        && "Enabled".equals(rule.get("Status"))
                        && rule.get("NoncurrentVersionExpiration") instanceof Map<?, ?> expiration) {
                    return intValue(
                            expiration.get("NoncurrentDays"),
                            0,
                            source,
                            "resource " + bucket.logicalId() + " NoncurrentDays");
                }
            }
        }
        return 0;
    }

    /** The expiration of the bucket that is not the lake (Athena's results), if the stack has one. */
    private static int resultsExpirationDays(String source, ResolvedTemplate stack, ResolvedResource lake) {
        for (ResolvedResource bucket : stack.resourcesOfType("AWS::S3::Bucket")) {
            if (bucket.logicalId().equals(lake.logicalId())) {
                continue;
            }
            if (bucket.property("LifecycleConfiguration", "Rules").orElse(null) instanceof List<?> rules) {
                for (Object entry : rules) {
                    if (entry instanceof Map<?, ?> rule
                            && "Enabled".equals(rule.get("Status"))
                            && rule.get("ExpirationInDays") != null) {
                        return intValue(
                                rule.get("ExpirationInDays"),
                                0,
                                source,
                                "resource " + bucket.logicalId() + " ExpirationInDays");
                    }
                }
            }
        }
        return 0;
    }

    private static final Pattern COUNT_NUMBER = Pattern.compile("\"countNumber\"\\s*:\\s*(\\d+)");

    /** Images the repository keeps under its lifecycle policy (imageCountMoreThan), 0 without a repository. */
    private static int imagesKept(ResolvedTemplate stack) {
        List<ResolvedResource> repositories = stack.resourcesOfType("AWS::ECR::Repository");
        if (repositories.isEmpty()) {
            return 0;
        }
        return repositories
                .get(0)
                .stringProperty("LifecyclePolicy", "LifecyclePolicyText")
                .map(COUNT_NUMBER::matcher)
                .filter(Matcher::find)
                .map(m -> Integer.parseInt(m.group(1)))
                .orElse(UNBOUNDED_IMAGES_ASSUMED);
    }

    // ---- parameters -----------------------------------------------------------------------------

    private List<Resolution> resolutions(ResolvedTemplate stack) {
        Object value = stack.parameterValues().get("AggregationResolutions");
        if (value == null) {
            missing.add("parameter AggregationResolutions (aggregate writes per window)");
            return List.of();
        }
        String text = value instanceof List<?> list
                ? String.join(",", list.stream().map(String::valueOf).toList())
                : value.toString();
        try {
            return Resolution.parseList(text);
        } catch (IllegalArgumentException e) {
            throw new CostInputException("parameter AggregationResolutions: " + e.getMessage());
        }
    }

    private Integer intParameter(ResolvedTemplate stack, String name, String neededFor) {
        Object value = stack.parameterValues().get(name);
        if (value == null) {
            missing.add("parameter " + name + " (" + neededFor + ")");
            return 0;
        }
        try {
            return Integer.parseInt(value.toString().trim());
        } catch (NumberFormatException e) {
            throw new CostInputException("parameter " + name + " is '" + value + "', expected a whole number");
        }
    }

    private Boolean booleanParameter(ResolvedTemplate stack, String name, String neededFor) {
        Object value = stack.parameterValues().get(name);
        if (value == null) {
            missing.add("parameter " + name + " (" + neededFor + ")");
            return false;
        }
        String text = value.toString().trim().toLowerCase(Locale.ROOT);
        if (!text.equals("true") && !text.equals("false")) {
            throw new CostInputException("parameter " + name + " is '" + value + "', expected true or false");
        }
        return text.equals("true");
    }

    // ---- resources ------------------------------------------------------------------------------

    private Optional<ResolvedResource> single(ResolvedTemplate stack, String type, String neededFor) {
        List<ResolvedResource> found = stack.resourcesOfType(type);
        if (found.isEmpty()) {
            List<String> conditioned = written.resourcesOfType(type).stream()
                    .filter(resource -> resource.condition().isPresent())
                    .map(
                            resource -> "resource " + resource.logicalId() + " exists only when condition "
                                    + resource.condition().get()
                                    + " holds, which it does not for these parameter values (pass the --param values of a deployed stack)")
                    .toList();
            missing.add(
                    conditioned.isEmpty()
                            ? "a " + type + " resource (" + neededFor + ")"
                            : String.join("; ", conditioned) + " (" + neededFor + ")");
            return Optional.empty();
        }
        if (found.size() > 1) {
            throw new CostInputException("the template has " + found.size() + " " + type + " resources ("
                    + found.stream().map(ResolvedResource::logicalId).toList() + "); the cost model expects one, "
                    + neededFor);
        }
        return Optional.of(found.get(0));
    }

    /** The data lake: the one bucket, or the bucket whose logical id names the lake. */
    private Optional<ResolvedResource> lakeBucket(ResolvedTemplate stack) {
        List<ResolvedResource> buckets = stack.resourcesOfType("AWS::S3::Bucket");
        List<ResolvedResource> lakes = buckets.size() == 1
                ? buckets
                : buckets.stream()
                        .filter(bucket ->
                                bucket.logicalId().toLowerCase(Locale.ROOT).contains("lake"))
                        .toList();
        if (lakes.size() != 1) {
            missing.add(
                    "one AWS::S3::Bucket for the data lake (the only bucket, or the one whose logical id contains 'Lake'; found "
                            + buckets.stream().map(ResolvedResource::logicalId).toList() + ")");
            return Optional.empty();
        }
        return Optional.of(lakes.get(0));
    }

    private Map<String, Object> kinesisEvent(String source, ResolvedResource function) {
        if (function.property("Events").orElse(null) instanceof Map<?, ?> events) {
            for (Object event : events.values()) {
                if (event instanceof Map<?, ?> definition && "Kinesis".equals(definition.get("Type"))) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> properties = definition.get("Properties") instanceof Map<?, ?> map
                            ? (Map<String, Object>) map
                            : Map.of();
                    return properties;
                }
            }
        }
        throw new CostInputException(
                source + " resource " + function.logicalId()
                        + " has no event of Type Kinesis; the model needs its BatchSize and MaximumBatchingWindowInSeconds to count invocations");
    }

    private List<ResolvedResource> telemetryRules(ResolvedTemplate stack) {
        List<ResolvedResource> rules = new ArrayList<>();
        for (ResolvedResource rule : stack.resourcesOfType("AWS::IoT::TopicRule")) {
            boolean disabled = rule.property("TopicRulePayload", "RuleDisabled")
                    .map(v -> Boolean.parseBoolean(v.toString()))
                    .orElse(false);
            Optional<String> sql = rule.stringProperty("TopicRulePayload", "Sql");
            if (disabled || sql.isEmpty()) {
                continue;
            }
            IotSqlStatement statement;
            try {
                statement = IotSqlStatement.parse(sql.get());
            } catch (IotSqlParseException e) {
                throw new CostInputException(stack.template().sourceName() + " TopicRule " + rule.logicalId()
                        + ": Sql does not parse at " + e.getMessage());
            }
            if (statement.matches(SAMPLE_TELEMETRY_TOPIC)) {
                rules.add(rule);
            }
        }
        return rules;
    }

    private record RuleUse(int rules, int actions, int cloudWatchMetricActions, int cloudWatchLogsActions) {}

    /**
     * With Basic Ingest a device publishes to one rule's reserved topic, so only that rule (the one that feeds
     * Kinesis) runs; otherwise every enabled rule whose topic filter matches runs.
     */
    private RuleUse ruleUse(List<ResolvedResource> rules, boolean basicIngest) {
        List<ResolvedResource> triggered = rules;
        if (basicIngest) {
            triggered = rules.stream()
                    .filter(rule -> actions(rule).stream().anyMatch(action -> action.containsKey("Kinesis")))
                    .limit(1)
                    .toList();
            if (triggered.isEmpty()) {
                throw new CostInputException("UseBasicIngest is true but no telemetry topic rule has a Kinesis action ("
                        + rules.stream().map(ResolvedResource::logicalId).toList()
                        + "); Basic Ingest targets the rule that feeds the stream");
            }
        }
        int actions = 0;
        int metricActions = 0;
        int logsActions = 0;
        for (ResolvedResource rule : triggered) {
            for (Map<?, ?> action : actions(rule)) {
                actions++;
                metricActions += action.containsKey("CloudwatchMetric") ? 1 : 0;
                logsActions += action.containsKey("CloudwatchLogs") ? 1 : 0;
            }
        }
        return new RuleUse(triggered.size(), Math.max(1, actions), metricActions, logsActions);
    }

    private static List<Map<?, ?>> actions(ResolvedResource rule) {
        Object actions = rule.property("TopicRulePayload", "Actions").orElse(List.of());
        if (!(actions instanceof List<?> list)) {
            return List.of();
        }
        return list.stream()
                .filter(Map.class::isInstance)
                .<Map<?, ?>>map(action -> (Map<?, ?>) action)
                .toList();
    }

    private List<LifecycleRule> lifecycle(String source, ResolvedResource bucket) {
        Object rules = bucket.property("LifecycleConfiguration", "Rules").orElse(List.of());
        List<LifecycleRule> result = new ArrayList<>();
        if (!(rules instanceof List<?> list)) {
            return result;
        }
        for (Object entry : list) {
            if (!(entry instanceof Map<?, ?> rule) || !"Enabled".equals(rule.get("Status"))) {
                continue;
            }
            String id = String.valueOf(rule.get("Id"));
            String where = "resource " + bucket.logicalId() + " lifecycle rule " + id;
            List<LifecycleRule.Transition> transitions = new ArrayList<>();
            List<Object> transitionEntries = new ArrayList<>();
            if (rule.get("Transitions") instanceof List<?> many) {
                transitionEntries.addAll(many);
            }
            if (rule.get("Transition") != null) {
                transitionEntries.add(rule.get("Transition"));
            }
            for (Object transition : transitionEntries) {
                if (transition instanceof Map<?, ?> move && move.get("TransitionInDays") != null) {
                    transitions.add(new LifecycleRule.Transition(
                            intValue(move.get("TransitionInDays"), 0, source, where + " TransitionInDays"),
                            String.valueOf(move.get("StorageClass"))));
                }
            }
            Optional<Integer> expiration = Optional.ofNullable(rule.get("ExpirationInDays"))
                    .map(days -> intValue(days, 0, source, where + " ExpirationInDays"));
            Optional<String> prefix = Optional.ofNullable(rule.get("Prefix"))
                    .map(String::valueOf)
                    .or(() -> rule.get("Filter") instanceof Map<?, ?> filter && filter.get("Prefix") != null
                            ? Optional.of(String.valueOf(filter.get("Prefix")))
                            : Optional.empty());
            Object size = rule.get("ObjectSizeGreaterThan") != null
                    ? rule.get("ObjectSizeGreaterThan")
                    : rule.get("Filter") instanceof Map<?, ?> filter ? filter.get("ObjectSizeGreaterThan") : null;
            Optional<Long> sizeFilter = Optional.ofNullable(size)
                    .map(bytes -> (long) doubleValue(bytes, source, where + " ObjectSizeGreaterThan"));
            result.add(new LifecycleRule(id, prefix, sizeFilter, transitions, expiration));
        }
        return result;
    }

    private void tableNotes(ResolvedTemplate stack) {
        for (ResolvedResource table : stack.resourcesOfType("AWS::DynamoDB::Table")) {
            String billing = table.stringProperty("BillingMode").orElse("PROVISIONED");
            if (!billing.equals("PAY_PER_REQUEST")) {
                notes.add("DynamoDB table " + table.logicalId() + " has BillingMode " + billing
                        + "; it is priced here as on-demand (PAY_PER_REQUEST) writes");
            }
        }
    }

    private static Optional<Integer> logRetentionDays(ResolvedTemplate stack) {
        return stack.resourcesOfType("AWS::Logs::LogGroup").stream()
                .map(group ->
                        group.property("RetentionInDays").map(Object::toString).map(String::trim))
                .flatMap(Optional::stream)
                .map(Integer::parseInt)
                .min(Integer::compareTo);
    }

    // ---- values -------------------------------------------------------------------------------------

    private static int intProperty(ResolvedResource resource, String property, Integer whenAbsent) {
        Object value = resource.property(property).orElse(null);
        if (value == null && whenAbsent == null) {
            throw new CostInputException(
                    "resource " + resource.logicalId() + " has no " + property + ", which the cost model needs");
        }
        return intValue(
                value,
                whenAbsent == null ? 0 : whenAbsent,
                "the template",
                "resource " + resource.logicalId() + " " + property);
    }

    private static int intValue(Object value, int whenAbsent, String source, String where) {
        if (value == null) {
            return whenAbsent;
        }
        return (int) Math.round(doubleValue(value, source, where));
    }

    private static double doubleValue(Object value, String source, String where) {
        if (value instanceof Number number) {
            return number.doubleValue();
        }
        if (value == null) {
            throw new CostInputException(source + " " + where + " is not set; the cost model needs it");
        }
        try {
            return Double.parseDouble(value.toString().trim());
        } catch (NumberFormatException e) {
            throw new CostInputException(
                    source + " " + where + " is '" + value + "', expected a number (an unresolved intrinsic?)");
        }
    }
}
