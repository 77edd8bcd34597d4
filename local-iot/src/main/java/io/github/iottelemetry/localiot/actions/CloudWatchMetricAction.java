package io.github.iottelemetry.localiot.actions;

import io.github.iottelemetry.iotrules.MessageContext;
import io.github.iottelemetry.iotrules.template.SubstitutionTemplate;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * CloudwatchMetric: one data point per message into the local CloudWatch sink ({@code cloudwatch/metrics.jsonl}).
 * Every field is a substitution template, as in IoT Core; the value must render as a number.
 */
public final class CloudWatchMetricAction implements RuleAction {

    private final SubstitutionTemplate namespace;
    private final SubstitutionTemplate name;
    private final SubstitutionTemplate value;
    private final SubstitutionTemplate unit;
    private final SubstitutionTemplate timestamp;
    private final JsonLinesFile sink;

    public CloudWatchMetricAction(
            SubstitutionTemplate namespace,
            SubstitutionTemplate name,
            SubstitutionTemplate value,
            SubstitutionTemplate unit,
            SubstitutionTemplate timestamp,
            JsonLinesFile sink) {
        this.namespace = namespace;
        this.name = name;
        this.value = value;
        this.unit = unit;
        this.timestamp = timestamp;
        this.sink = sink;
    }

    @Override
    public String failedActionName() {
        return "CloudwatchMetricAction";
    }

    @Override
    public CompletableFuture<Void> execute(RuleInvocation invocation, byte[] output) {
        MessageContext context = invocation.context();
        String metricNamespace = namespace.render(context);
        String metricName = name.render(context);
        try {
            String rendered = value.render(context);
            double number;
            try {
                number = Double.parseDouble(rendered);
            } catch (NumberFormatException e) {
                throw new ActionFailure(
                        failedActionName(),
                        metricNamespace + "/" + metricName,
                        "MetricValue '" + value.template() + "' rendered '" + rendered + "', which is not a number",
                        e);
            }
            Map<String, Object> point = new LinkedHashMap<>();
            point.put(
                    "timestamp",
                    timestamp == null
                            ? Instant.ofEpochMilli(context.timestampMillis()).toString()
                            : timestamp.render(context));
            point.put("namespace", metricNamespace);
            point.put("metricName", metricName);
            point.put("value", number);
            point.put("unit", unit.render(context));
            point.put("rule", invocation.ruleName());
            sink.append(point);
            return CompletableFuture.completedFuture(null);
        } catch (ActionFailure failure) {
            return CompletableFuture.failedFuture(failure);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(new ActionFailure(
                    failedActionName(),
                    metricNamespace + "/" + metricName,
                    "cannot write to the local CloudWatch sink " + sink.file() + ": " + e.getMessage(),
                    e));
        }
    }
}
