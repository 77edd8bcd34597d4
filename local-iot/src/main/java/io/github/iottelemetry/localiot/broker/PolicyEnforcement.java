package io.github.iottelemetry.localiot.broker;

import com.hivemq.extension.sdk.api.auth.SubscriptionAuthorizer;
import com.hivemq.extension.sdk.api.auth.parameter.SubscriptionAuthorizerInput;
import com.hivemq.extension.sdk.api.auth.parameter.SubscriptionAuthorizerOutput;
import com.hivemq.extension.sdk.api.interceptor.publish.PublishInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.publish.PublishOutboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundInput;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundOutput;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishOutboundInput;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishOutboundOutput;
import com.hivemq.extension.sdk.api.packets.general.MqttVersion;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import com.hivemq.extension.sdk.api.packets.subscribe.SubackReasonCode;
import com.hivemq.extension.sdk.api.parameter.ClientBasedInput;
import com.hivemq.extension.sdk.api.services.Services;
import io.github.iottelemetry.iotrules.topic.BasicIngestTopic;
import io.github.iottelemetry.localiot.LocalIotCounters;
import io.github.iottelemetry.localiot.policy.DeviceAuthorization;
import io.github.iottelemetry.localiot.policy.PolicyDecision;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The policy on every publish, subscribe and delivery, and the hand-off of allowed publishes to the rules
 * engine. Publishes are checked in the inbound interceptor because HiveMQ runs it before its own authorization:
 * a refused MQTT 5 publish gets PUBACK 0x87 Not authorized and the connection stays open; MQTT 3.1.1 has no
 * reason codes, so there (as in IoT Core) the client is disconnected. Basic Ingest publishes go to the rules
 * only, never to subscribers.
 */
final class PolicyEnforcement implements PublishInboundInterceptor, PublishOutboundInterceptor, SubscriptionAuthorizer {

    private final DeviceAuthorization authorization;
    private final Consumer<InboundMessage> rules;
    private final LocalIotCounters counters;
    private final SecurityLog log;

    PolicyEnforcement(
            DeviceAuthorization authorization,
            Consumer<InboundMessage> rules,
            LocalIotCounters counters,
            SecurityLog log) {
        this.authorization = authorization;
        this.rules = rules;
        this.counters = counters;
        this.log = log;
    }

    @Override
    public void onInboundPublish(PublishInboundInput input, PublishInboundOutput output) {
        String clientId = input.getClientInformation().getClientId();
        String topic = input.getPublishPacket().getTopic();
        Optional<DeviceIdentity> identity = identity(input, clientId);
        PolicyDecision decision = identity.map(device -> authorization.publish(device.policyVariables(), topic))
                .orElse(new PolicyDecision(false, "connection has no authenticated identity"));
        if (!decision.allowed()) {
            counters.publishesRefused.increment();
            String reason = "iot:Publish to '" + topic + "' by thing '"
                    + identity.map(DeviceIdentity::thingName).orElse("?") + "': " + decision.reason();
            log.refused("publish", clientId, reason);
            if (input.getConnectionInformation().getMqttVersion() == MqttVersion.V_5) {
                output.preventPublishDelivery(AckReasonCode.NOT_AUTHORIZED, reason);
            } else {
                output.preventPublishDelivery(AckReasonCode.NOT_AUTHORIZED);
                Services.clientService().disconnectClient(clientId);
            }
            return;
        }
        counters.publishesAccepted.increment();
        DeviceIdentity device = identity.get();
        rules.accept(new InboundMessage(
                topic,
                payloadBytes(input.getPublishPacket().getPayload()),
                clientId,
                device.thingName(),
                device.principal(),
                System.currentTimeMillis()));
        if (topic.startsWith(BasicIngestTopic.PREFIX)) {
            output.preventPublishDelivery(AckReasonCode.SUCCESS);
        }
    }

    @Override
    public void onOutboundPublish(PublishOutboundInput input, PublishOutboundOutput output) {
        String clientId = input.getClientInformation().getClientId();
        String topic = input.getPublishPacket().getTopic();
        Optional<DeviceIdentity> identity = identity(input, clientId);
        PolicyDecision decision = identity.map(device -> authorization.receive(device.policyVariables(), topic))
                .orElse(new PolicyDecision(false, "connection has no authenticated identity"));
        if (!decision.allowed()) {
            counters.deliveriesRefused.increment();
            log.refused("delivery (iot:Receive) of '" + topic + "'", clientId, decision.reason());
            output.preventPublishDelivery();
        }
    }

    @Override
    public void authorizeSubscribe(SubscriptionAuthorizerInput input, SubscriptionAuthorizerOutput output) {
        String clientId = input.getClientInformation().getClientId();
        String filter = input.getSubscription().getTopicFilter();
        Optional<DeviceIdentity> identity = identity(input, clientId);
        PolicyDecision decision = identity.map(device -> authorization.subscribe(device.policyVariables(), filter))
                .orElse(new PolicyDecision(false, "connection has no authenticated identity"));
        if (decision.allowed()) {
            output.authorizeSuccessfully();
            return;
        }
        counters.subscriptionsRefused.increment();
        String reason = "iot:Subscribe to '" + filter + "': " + decision.reason();
        log.refused("subscribe", clientId, reason);
        output.failAuthorization(SubackReasonCode.NOT_AUTHORIZED, reason);
    }

    private static Optional<DeviceIdentity> identity(ClientBasedInput input, String clientId) {
        return DeviceIdentity.readFrom(input.getConnectionInformation().getConnectionAttributeStore(), clientId);
    }

    private static byte[] payloadBytes(Optional<ByteBuffer> payload) {
        if (payload.isEmpty()) {
            return new byte[0];
        }
        ByteBuffer buffer = payload.get().asReadOnlyBuffer();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }
}
