package io.github.iottelemetry.localiot.actions;

import io.github.iottelemetry.iotrules.MessageContext;
import io.github.iottelemetry.iotrules.template.SubstitutionTemplate;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** CloudwatchLogs: the rule's output as one log event of the group, into {@code cloudwatch/logs.jsonl}. */
public final class CloudWatchLogsAction implements RuleAction {

    private final SubstitutionTemplate logGroupName;
    private final JsonLinesFile sink;

    public CloudWatchLogsAction(SubstitutionTemplate logGroupName, JsonLinesFile sink) {
        this.logGroupName = logGroupName;
        this.sink = sink;
    }

    @Override
    public String failedActionName() {
        return "CloudwatchLogsAction";
    }

    @Override
    public CompletableFuture<Void> execute(RuleInvocation invocation, byte[] output) {
        MessageContext context = invocation.context();
        String group = logGroupName.render(context);
        try {
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("timestamp", context.timestampMillis());
            event.put("logGroupName", group);
            event.put("logStreamName", invocation.ruleName());
            event.put("message", new String(output, StandardCharsets.UTF_8));
            sink.append(event);
            return CompletableFuture.completedFuture(null);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(new ActionFailure(
                    failedActionName(),
                    group,
                    "cannot write to the local CloudWatch sink " + sink.file() + ": " + e.getMessage(),
                    e));
        }
    }
}
