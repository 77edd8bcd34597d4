package io.github.iottelemetry.localiot.broker;

/**
 * A publish the policy allowed, as the rules engine receives it: the topic as published (possibly a Basic
 * Ingest topic), the payload, who sent it (client id, thing name, certificate id) and when the broker got it.
 */
public record InboundMessage(
        String topic, byte[] payload, String clientId, String thingName, String principal, long receivedAtMillis) {}
