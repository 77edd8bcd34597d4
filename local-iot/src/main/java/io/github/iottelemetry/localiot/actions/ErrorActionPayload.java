package io.github.iottelemetry.localiot.actions;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Base64;
import java.util.List;

/**
 * The message an error action receives, in IoT Core's shape (rule-error-handling page): ruleName, topic,
 * cloudwatchTraceId, clientId, base64OriginalPayload, failures[{failedAction, failedResource, errorMessage}].
 */
public final class ErrorActionPayload {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ErrorActionPayload() {}

    public static byte[] of(RuleInvocation invocation, List<ActionFailure> failures) {
        ObjectNode payload = JSON.createObjectNode();
        payload.put("ruleName", invocation.ruleName());
        payload.put("topic", invocation.message().topic());
        payload.put("cloudwatchTraceId", invocation.traceId());
        payload.put("clientId", invocation.message().clientId());
        payload.put(
                "base64OriginalPayload",
                Base64.getEncoder().encodeToString(invocation.message().payload()));
        var array = payload.putArray("failures");
        for (ActionFailure failure : failures) {
            array.addObject()
                    .put("failedAction", failure.failedAction())
                    .put("failedResource", failure.failedResource())
                    .put("errorMessage", failure.getMessage());
        }
        try {
            return JSON.writeValueAsBytes(payload);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot encode the error payload of rule " + invocation.ruleName(), e);
        }
    }
}
