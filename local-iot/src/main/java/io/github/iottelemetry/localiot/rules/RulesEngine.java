package io.github.iottelemetry.localiot.rules;

import io.github.iottelemetry.iotrules.MessageContext;
import io.github.iottelemetry.localiot.LocalIotCounters;
import io.github.iottelemetry.localiot.actions.ActionFailure;
import io.github.iottelemetry.localiot.actions.ErrorActionPayload;
import io.github.iottelemetry.localiot.actions.JsonLinesFile;
import io.github.iottelemetry.localiot.actions.RuleAction;
import io.github.iottelemetry.localiot.actions.RuleInvocation;
import io.github.iottelemetry.localiot.broker.InboundMessage;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * Runs every rule on every message it receives (by its FROM filter, or by a Basic Ingest topic naming it).
 * Each action that fails sends IoT Core's error payload to the rule's error action; a failure the error action
 * cannot take either, or a rule without one, is appended to {@code undeliverable.jsonl} with the whole
 * message: nothing leaves without a trace.
 */
public final class RulesEngine implements Consumer<InboundMessage> {

    private static final System.Logger LOG = System.getLogger(RulesEngine.class.getName());

    private final List<TopicRule> rules;
    private final LocalIotCounters counters;
    private final JsonLinesFile undeliverable;

    public RulesEngine(List<TopicRule> rules, LocalIotCounters counters, JsonLinesFile undeliverable) {
        this.rules = List.copyOf(rules);
        this.counters = counters;
        this.undeliverable = undeliverable;
    }

    public List<TopicRule> rules() {
        return rules;
    }

    @Override
    public void accept(InboundMessage message) {
        for (TopicRule rule : rules) {
            Optional<String> topic = rule.statement().topicSeenByRule(rule.name(), message.topic());
            if (topic.isPresent()) {
                run(rule, message, topic.get());
            }
        }
    }

    private void run(TopicRule rule, InboundMessage message, String topicSeenByRule) {
        counters.ruleInvocations.increment();
        RuleInvocation invocation = new RuleInvocation(
                rule.name(), message, topicSeenByRule, UUID.randomUUID().toString());
        Optional<byte[]> output;
        try {
            MessageContext context = invocation.context();
            output = rule.statement().evaluateToBytes(context);
        } catch (RuntimeException e) {
            counters.ruleEvaluationErrors.increment();
            fail(
                    rule,
                    invocation,
                    new ActionFailure("RuleEvaluation", rule.name(), "SQL evaluation failed: " + e.getMessage(), e));
            return;
        }
        if (output.isEmpty()) {
            return;
        }
        for (RuleAction action : rule.actions()) {
            action.execute(invocation, output.get()).whenComplete((ignored, error) -> {
                if (error == null) {
                    counters.actionsSucceeded.increment();
                } else {
                    counters.actionsFailed.increment();
                    fail(rule, invocation, asActionFailure(action, error));
                }
            });
        }
    }

    private void fail(TopicRule rule, RuleInvocation invocation, ActionFailure failure) {
        LOG.log(
                System.Logger.Level.WARNING,
                () -> "rule " + rule.name() + " " + failure.failedAction() + " on "
                        + failure.failedResource() + " failed for topic "
                        + invocation.message().topic() + " from "
                        + invocation.message().clientId() + ": " + failure.getMessage());
        if (rule.errorAction() == null) {
            recordUndeliverable(invocation, failure, "rule has no error action");
            return;
        }
        byte[] errorPayload = ErrorActionPayload.of(invocation, List.of(failure));
        rule.errorAction().execute(invocation, errorPayload).whenComplete((ignored, error) -> {
            if (error == null) {
                counters.errorActionsSucceeded.increment();
            } else {
                recordUndeliverable(
                        invocation,
                        failure,
                        "error action failed too: "
                                + asActionFailure(rule.errorAction(), error).getMessage());
            }
        });
    }

    private void recordUndeliverable(RuleInvocation invocation, ActionFailure failure, String why) {
        counters.undeliverable.increment();
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("ruleName", invocation.ruleName());
        entry.put("topic", invocation.message().topic());
        entry.put("clientId", invocation.message().clientId());
        entry.put("cloudwatchTraceId", invocation.traceId());
        entry.put("receivedAt", invocation.message().receivedAtMillis());
        entry.put("failedAction", failure.failedAction());
        entry.put("failedResource", failure.failedResource());
        entry.put("errorMessage", failure.getMessage());
        entry.put("why", why);
        entry.put(
                "base64OriginalPayload",
                Base64.getEncoder().encodeToString(invocation.message().payload()));
        try {
            undeliverable.append(entry);
        } catch (RuntimeException e) {
            LOG.log(
                    System.Logger.Level.ERROR,
                    "message LOST: cannot write " + undeliverable.file() + " (" + e.getMessage() + "); entry was "
                            + entry);
        }
    }

    private static ActionFailure asActionFailure(RuleAction action, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof ActionFailure failure) {
            return failure;
        }
        return new ActionFailure(action.failedActionName(), "?", String.valueOf(cause.getMessage()), cause);
    }
}
