package io.github.iottelemetry.localiot.policy;

import java.util.Map;

/**
 * One question to the policy: may this connection do {@code action} on {@code resourceArn}? The variables are
 * the connection's policy variables (without {@code ${}}), such as {@code iot:Connection.Thing.ThingName},
 * used both for substitution in resources and as condition keys.
 */
public record PolicyRequest(IotAction action, String resourceArn, Map<String, String> variables) {}
