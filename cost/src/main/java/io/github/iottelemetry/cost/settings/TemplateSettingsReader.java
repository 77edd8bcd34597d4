package io.github.iottelemetry.cost.settings;

import io.github.iottelemetry.core.window.Resolution;
import io.github.iottelemetry.cost.CostInputException;
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

  private static final Pattern FROM_TOPIC = Pattern.compile("(?i)\\bFROM\\s+'([^']+)'");
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
    if (!Files.isRegularFile(template)) {
      throw new CostInputException("template " + template + " does not exist; pass --template with the path of the"
          + " project's template.yaml");
    }
    CfnTemplate cfn;
    ResolvedTemplate resolved;
    try {
      cfn = CfnTemplate.load(template);
      for (String name : parameterOverrides.keySet()) {
        if (!cfn.parameters().containsKey(name)) {
          throw new CostInputException("--param " + name + "=" + parameterOverrides.get(name) + ": " + template
              + " has no parameter " + name + " (parameters: " + String.join(", ", cfn.parameters().keySet()) + ")");
        }
      }
      resolved = cfn.resolve(parameterOverrides, PseudoParameters.of(STACK_NAME, region, ACCOUNT_FOR_ESTIMATES));
    } catch (TemplateException e) {
      throw new CostInputException("cannot read the pipeline's settings from the template: " + e.getMessage(), e);
    }
    return new TemplateSettingsReader().settings(template.toString(), cfn, resolved);
  }

  private CfnTemplate written;

  private PipelineSettings settings(String source, CfnTemplate cfn, ResolvedTemplate stack) {
    this.written = cfn;
    List<Resolution> resolutions = resolutions(stack);
    Integer lateness = intParameter(stack, "AllowedLatenessSeconds", "how long windows stay open in the stream processor");
    Boolean basicIngest = booleanParameter(stack, "UseBasicIngest", "whether IoT Core bills messaging");
    Integer retentionDays = intParameter(stack, "DataRetentionDays", "S3 and DynamoDB storage over the retention");

    Optional<ResolvedResource> stream = single(stack, "AWS::Kinesis::Stream", "the Kinesis stream (shards, retention)");
    Optional<ResolvedResource> function = stack.resource(INGEST_FUNCTION);
    if (function.isEmpty()) {
      missing.add("resource " + INGEST_FUNCTION + " (the ingest Lambda: MemorySize, its Kinesis event's BatchSize and batching window)");
    }
    Optional<ResolvedResource> taskDefinition = single(stack, "AWS::ECS::TaskDefinition",
        "the stream-processor task definition (Cpu, Memory, RuntimePlatform)");
    Optional<ResolvedResource> service = single(stack, "AWS::ECS::Service", "the stream-processor service (DesiredCount)");
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
    String mode = streamResource.stringProperty("StreamModeDetails", "StreamMode").orElse("PROVISIONED");
    boolean onDemand = mode.equals("ON_DEMAND");
    int shards = onDemand ? 0 : intProperty(streamResource, "ShardCount", null);
    if (!onDemand && shards < 1) {
      throw new CostInputException(source + " resource " + streamResource.logicalId()
          + ": a PROVISIONED stream needs ShardCount of at least 1, got " + shards);
    }
    int streamRetention = intProperty(streamResource, "RetentionPeriodHours", 24);

    ResolvedResource ingest = function.orElseThrow();
    Map<String, Object> kinesisEvent = kinesisEvent(source, ingest);
    int batchSize = intValue(kinesisEvent.get("BatchSize"), 100, source, INGEST_FUNCTION + " Kinesis event BatchSize");
    int window = intValue(kinesisEvent.get("MaximumBatchingWindowInSeconds"), 0, source,
        INGEST_FUNCTION + " Kinesis event MaximumBatchingWindowInSeconds");
    int parallelization = intValue(kinesisEvent.get("ParallelizationFactor"), 1, source,
        INGEST_FUNCTION + " Kinesis event ParallelizationFactor");
    int memory = intProperty(ingest, "MemorySize", 128);
    String architecture = ingest.property("Architectures").filter(List.class::isInstance)
        .map(list -> String.valueOf(((List<?>) list).get(0))).orElse("x86_64");

    ResolvedResource task = taskDefinition.orElseThrow();
    double vcpu = doubleValue(task.property("Cpu").orElse(null), source, "resource " + task.logicalId() + " Cpu") / 1024;
    double memoryGb = doubleValue(task.property("Memory").orElse(null), source, "resource " + task.logicalId() + " Memory") / 1024;
    String cpuArchitecture = task.stringProperty("RuntimePlatform", "CpuArchitecture").orElse("X86_64");
    int tasks = intProperty(service.orElseThrow(), "DesiredCount", 1);

    RuleUse ruleUse = ruleUse(rules, basicIngest);
    List<LifecycleRule> lifecycle = lifecycle(source, lake.orElseThrow());
    tableNotes(stack);

    return new PipelineSettings(source, onDemand, shards, streamRetention, KINESIS_CONSUMERS, basicIngest, ruleUse.rules(),
        ruleUse.actions(), ruleUse.cloudWatchMetricActions(), ruleUse.cloudWatchLogsActions(), memory,
        architecture.toLowerCase(Locale.ROOT), batchSize, window, parallelization, resolutions, lateness, tasks, vcpu,
        memoryGb, cpuArchitecture.toUpperCase(Locale.ROOT), retentionDays, lifecycle,
        stack.resourcesOfType("AWS::CloudWatch::Alarm").size(), stack.resourcesOfType("AWS::CloudWatch::Dashboard").size(),
        logRetentionDays(stack), notes);
  }

  // ---- parameters -----------------------------------------------------------------------------

  private List<Resolution> resolutions(ResolvedTemplate stack) {
    Object value = stack.parameterValues().get("AggregationResolutions");
    if (value == null) {
      missing.add("parameter AggregationResolutions (aggregate writes per window)");
      return List.of();
    }
    String text = value instanceof List<?> list ? String.join(",", list.stream().map(String::valueOf).toList()) : value.toString();
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
      List<String> conditioned = written.resourcesOfType(type).stream().filter(resource -> resource.condition().isPresent())
          .map(resource -> "resource " + resource.logicalId() + " exists only when condition " + resource.condition().get()
              + " holds, which it does not for these parameter values (pass the --param values of a deployed stack)")
          .toList();
      missing.add(conditioned.isEmpty() ? "a " + type + " resource (" + neededFor + ")"
          : String.join("; ", conditioned) + " (" + neededFor + ")");
      return Optional.empty();
    }
    if (found.size() > 1) {
      throw new CostInputException("the template has " + found.size() + " " + type + " resources ("
          + found.stream().map(ResolvedResource::logicalId).toList() + "); the cost model expects one, " + neededFor);
    }
    return Optional.of(found.get(0));
  }

  /** The data lake: the one bucket, or the bucket whose logical id names the lake. */
  private Optional<ResolvedResource> lakeBucket(ResolvedTemplate stack) {
    List<ResolvedResource> buckets = stack.resourcesOfType("AWS::S3::Bucket");
    List<ResolvedResource> lakes = buckets.size() == 1 ? buckets
        : buckets.stream().filter(bucket -> bucket.logicalId().toLowerCase(Locale.ROOT).contains("lake")).toList();
    if (lakes.size() != 1) {
      missing.add("one AWS::S3::Bucket for the data lake (the only bucket, or the one whose logical id contains 'Lake'; found "
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
              ? (Map<String, Object>) map : Map.of();
          return properties;
        }
      }
    }
    throw new CostInputException(source + " resource " + function.logicalId()
        + " has no event of Type Kinesis; the model needs its BatchSize and MaximumBatchingWindowInSeconds to count invocations");
  }

  private List<ResolvedResource> telemetryRules(ResolvedTemplate stack) {
    List<ResolvedResource> rules = new ArrayList<>();
    for (ResolvedResource rule : stack.resourcesOfType("AWS::IoT::TopicRule")) {
      boolean disabled = rule.property("TopicRulePayload", "RuleDisabled").map(v -> Boolean.parseBoolean(v.toString())).orElse(false);
      Optional<String> sql = rule.stringProperty("TopicRulePayload", "Sql");
      if (disabled || sql.isEmpty()) {
        continue;
      }
      Matcher from = FROM_TOPIC.matcher(sql.get());
      if (from.find() && topicFilterMatches(from.group(1), SAMPLE_TELEMETRY_TOPIC)) {
        rules.add(rule);
      }
    }
    return rules;
  }

  /** MQTT topic filter match with {@code +} (one level) and {@code #} (the rest). */
  static boolean topicFilterMatches(String filter, String topic) {
    String[] filterLevels = filter.split("/", -1);
    String[] topicLevels = topic.split("/", -1);
    for (int i = 0; i < filterLevels.length; i++) {
      if (filterLevels[i].equals("#")) {
        return true;
      }
      if (i >= topicLevels.length || !(filterLevels[i].equals("+") || filterLevels[i].equals(topicLevels[i]))) {
        return false;
      }
    }
    return filterLevels.length == topicLevels.length;
  }

  private record RuleUse(int rules, int actions, int cloudWatchMetricActions, int cloudWatchLogsActions) {}

  /**
   * With Basic Ingest a device publishes to one rule's reserved topic, so only that rule (the one that feeds
   * Kinesis) runs; otherwise every enabled rule whose topic filter matches runs.
   */
  private RuleUse ruleUse(List<ResolvedResource> rules, boolean basicIngest) {
    List<ResolvedResource> triggered = rules;
    if (basicIngest) {
      triggered = rules.stream().filter(rule -> actions(rule).stream().anyMatch(action -> action.containsKey("Kinesis")))
          .limit(1).toList();
      if (triggered.isEmpty()) {
        throw new CostInputException("UseBasicIngest is true but no telemetry topic rule has a Kinesis action ("
            + rules.stream().map(ResolvedResource::logicalId).toList() + "); Basic Ingest targets the rule that feeds the stream");
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
    return list.stream().filter(Map.class::isInstance).<Map<?, ?>>map(action -> (Map<?, ?>) action).toList();
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
      Optional<String> prefix = Optional.ofNullable(rule.get("Prefix")).map(String::valueOf)
          .or(() -> rule.get("Filter") instanceof Map<?, ?> filter && filter.get("Prefix") != null
              ? Optional.of(String.valueOf(filter.get("Prefix"))) : Optional.empty());
      result.add(new LifecycleRule(id, prefix, transitions, expiration));
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
        .map(group -> group.property("RetentionInDays").map(Object::toString).map(String::trim))
        .flatMap(Optional::stream)
        .map(Integer::parseInt)
        .min(Integer::compareTo);
  }

  // ---- values -------------------------------------------------------------------------------------

  private static int intProperty(ResolvedResource resource, String property, Integer whenAbsent) {
    Object value = resource.property(property).orElse(null);
    if (value == null && whenAbsent == null) {
      throw new CostInputException("resource " + resource.logicalId() + " has no " + property + ", which the cost model needs");
    }
    return intValue(value, whenAbsent == null ? 0 : whenAbsent, "the template", "resource " + resource.logicalId() + " " + property);
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
      throw new CostInputException(source + " " + where + " is '" + value + "', expected a number (an unresolved intrinsic?)");
    }
  }
}
