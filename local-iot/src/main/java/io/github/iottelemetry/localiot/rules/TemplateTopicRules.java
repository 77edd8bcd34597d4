package io.github.iottelemetry.localiot.rules;

import io.github.iottelemetry.iotrules.IotSqlParseException;
import io.github.iottelemetry.iotrules.IotSqlStatement;
import io.github.iottelemetry.iotrules.template.SubstitutionTemplate;
import io.github.iottelemetry.localiot.actions.CloudWatchLogsAction;
import io.github.iottelemetry.localiot.actions.CloudWatchMetricAction;
import io.github.iottelemetry.localiot.actions.JsonLinesFile;
import io.github.iottelemetry.localiot.actions.KinesisAction;
import io.github.iottelemetry.localiot.actions.KinesisBatcher;
import io.github.iottelemetry.localiot.actions.RuleAction;
import io.github.iottelemetry.localiot.actions.S3Action;
import io.github.iottelemetry.template.ResolvedResource;
import io.github.iottelemetry.template.ResolvedTemplate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The enabled {@code AWS::IoT::TopicRule} resources of a resolved template, ready to run. Anything that would
 * make a rule behave differently from IoT Core fails here, at start-up, naming the resource, the rule, the field
 * and (for SQL and substitution templates) the position: a SQL that does not parse, a SQL version other than
 * 2016-03-23, an action type without a local engine.
 */
public final class TemplateTopicRules {

    public static final String TOPIC_RULE_TYPE = "AWS::IoT::TopicRule";
    public static final String SQL_VERSION = "2016-03-23";

    /** What the actions write to and send with. */
    public record ActionTargets(
            KinesisBatcher kinesis, S3Client s3, Executor s3Executor, JsonLinesFile metrics, JsonLinesFile logs) {}

    private TemplateTopicRules() {}

    public static List<TopicRule> load(ResolvedTemplate template, ActionTargets targets) {
        List<TopicRule> rules = new ArrayList<>();
        for (ResolvedResource resource : template.resourcesOfType(TOPIC_RULE_TYPE)) {
            String ruleName = resource.stringProperty("RuleName").orElse(resource.logicalId());
            String where = "TopicRule " + resource.logicalId() + " (rule " + ruleName + ", "
                    + template.template().sourceName() + " line " + resource.line() + ")";
            Map<?, ?> payload = map(
                    where,
                    "TopicRulePayload",
                    resource.property("TopicRulePayload").orElse(null));
            if (Boolean.parseBoolean(String.valueOf(payload.get("RuleDisabled")))) {
                continue;
            }
            Object version = payload.get("AwsIotSqlVersion");
            if (!SQL_VERSION.equals(String.valueOf(version))) {
                throw new IllegalArgumentException(
                        where + ": AwsIotSqlVersion is " + version + "; the local rules engine runs " + SQL_VERSION
                                + " only (IoT Core defaults to 2015-10-08 when it is missing: set it)");
            }
            String sql = String.valueOf(payload.get("Sql"));
            IotSqlStatement statement;
            try {
                statement = IotSqlStatement.parse(sql);
            } catch (IotSqlParseException e) {
                throw new IllegalArgumentException(
                        where + ": Sql does not parse at " + e.getMessage() + "\n  " + sql, e);
            }
            List<RuleAction> actions = new ArrayList<>();
            Object rawActions = payload.get("Actions");
            List<?> actionList = rawActions instanceof List<?> list ? list : List.of();
            for (int index = 0; index < actionList.size(); index++) {
                actions.add(action(where + " Actions[" + index + "]", actionList.get(index), targets));
            }
            if (actions.isEmpty()) {
                throw new IllegalArgumentException(where + ": has no Actions");
            }
            RuleAction errorAction = payload.get("ErrorAction") == null
                    ? null
                    : action(where + " ErrorAction", payload.get("ErrorAction"), targets);
            rules.add(new TopicRule(ruleName, resource.logicalId(), statement, List.copyOf(actions), errorAction));
        }
        return List.copyOf(rules);
    }

    private static RuleAction action(String where, Object raw, ActionTargets targets) {
        Map<?, ?> action = map(where, "action", raw);
        if (action.size() != 1) {
            throw new IllegalArgumentException(where + ": an action names exactly one type, found " + action.keySet());
        }
        Map.Entry<?, ?> entry = action.entrySet().iterator().next();
        String type = String.valueOf(entry.getKey());
        Map<?, ?> fields = map(where, type, entry.getValue());
        String at = where + " " + type;
        return switch (type) {
            case "Kinesis" ->
                new KinesisAction(
                        required(at, fields, "StreamName"),
                        template(
                                at,
                                "PartitionKey",
                                fields.get("PartitionKey") == null
                                        ? "${newuuid()}"
                                        : String.valueOf(fields.get("PartitionKey"))),
                        targets.kinesis());
            case "CloudwatchMetric" ->
                new CloudWatchMetricAction(
                        template(at, "MetricNamespace", required(at, fields, "MetricNamespace")),
                        template(at, "MetricName", required(at, fields, "MetricName")),
                        template(at, "MetricValue", required(at, fields, "MetricValue")),
                        template(at, "MetricUnit", required(at, fields, "MetricUnit")),
                        fields.get("MetricTimestamp") == null
                                ? null
                                : template(at, "MetricTimestamp", String.valueOf(fields.get("MetricTimestamp"))),
                        targets.metrics());
            case "CloudwatchLogs" ->
                new CloudWatchLogsAction(
                        template(at, "LogGroupName", required(at, fields, "LogGroupName")), targets.logs());
            case "S3" ->
                new S3Action(
                        targets.s3(),
                        template(at, "BucketName", required(at, fields, "BucketName")),
                        template(at, "Key", required(at, fields, "Key")),
                        targets.s3Executor());
            default ->
                throw new IllegalArgumentException(at + ": action type " + type
                        + " has no local engine (supported: Kinesis, CloudwatchMetric, CloudwatchLogs, S3)");
        };
    }

    private static SubstitutionTemplate template(String where, String field, String text) {
        try {
            return SubstitutionTemplate.parse(text);
        } catch (IotSqlParseException e) {
            throw new IllegalArgumentException(
                    where + " " + field + ": substitution template does not parse at " + e.getMessage() + "\n  " + text,
                    e);
        }
    }

    private static String required(String where, Map<?, ?> fields, String field) {
        Object value = fields.get(field);
        if (value == null || value instanceof Map<?, ?> || value instanceof List<?>) {
            throw new IllegalArgumentException(where + ": " + field + " must be a string, found " + value);
        }
        return String.valueOf(value);
    }

    private static Map<?, ?> map(String where, String what, Object value) {
        if (!(value instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException(where + ": " + what + " must be an object, found " + value);
        }
        return map;
    }
}
