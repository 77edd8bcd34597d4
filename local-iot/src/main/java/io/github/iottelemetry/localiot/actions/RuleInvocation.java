package io.github.iottelemetry.localiot.actions;

import io.github.iottelemetry.iotrules.MessageContext;
import io.github.iottelemetry.localiot.broker.InboundMessage;

/**
 * One rule running on one message: what its actions' substitution templates and the error payload read. It
 * outlives the broker thread (actions complete later, on other threads), so it builds a fresh
 * {@link MessageContext}, which is not thread-safe, for each use; timestamp() stays the receive time.
 */
public record RuleInvocation(String ruleName, InboundMessage message, String topicSeenByRule, String traceId) {

    public MessageContext context() {
        MessageContext.Builder builder = MessageContext.builder(topicSeenByRule, message.payload())
                .clientId(message.clientId())
                .timestampMillis(message.receivedAtMillis());
        if (!message.principal().isEmpty()) {
            builder.principal(message.principal());
        }
        return builder.build();
    }
}
