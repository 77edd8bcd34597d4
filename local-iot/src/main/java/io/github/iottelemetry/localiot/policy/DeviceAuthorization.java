package io.github.iottelemetry.localiot.policy;

import java.util.Map;

/**
 * The policy questions the broker asks, phrased for one connection: it builds the resource ARNs
 * ({@code arn:aws:iot:<region>:<account>:client/<id>}, {@code topic/...}, {@code topicfilter/...}) and the
 * policy variables a certificate-authenticated connection has. Locally every policy of the template is
 * attached to every device certificate, and a certificate is always attached to the thing its CN names.
 */
public final class DeviceAuthorization {

    public static final String THING_NAME = "iot:Connection.Thing.ThingName";
    public static final String CLIENT_ID = "iot:ClientId";
    public static final String THING_IS_ATTACHED = "iot:Connection.Thing.IsAttached";

    private final IotPolicyEvaluator evaluator;
    private final String arnPrefix;

    /** @param arnPrefix {@code arn:<partition>:iot:<region>:<account>:} as the template was resolved */
    public DeviceAuthorization(IotPolicyEvaluator evaluator, String arnPrefix) {
        this.evaluator = evaluator;
        this.arnPrefix = arnPrefix;
    }

    public static String arnPrefix(String partition, String region, String accountId) {
        return "arn:" + partition + ":iot:" + region + ":" + accountId + ":";
    }

    public static Map<String, String> variables(String thingName, String clientId) {
        return Map.of(THING_NAME, thingName, CLIENT_ID, clientId, THING_IS_ATTACHED, "true");
    }

    public PolicyDecision connect(Map<String, String> variables, String clientId) {
        return decide(IotAction.CONNECT, clientId, variables);
    }

    public PolicyDecision publish(Map<String, String> variables, String topic) {
        return decide(IotAction.PUBLISH, topic, variables);
    }

    public PolicyDecision subscribe(Map<String, String> variables, String topicFilter) {
        return decide(IotAction.SUBSCRIBE, topicFilter, variables);
    }

    public PolicyDecision receive(Map<String, String> variables, String topic) {
        return decide(IotAction.RECEIVE, topic, variables);
    }

    private PolicyDecision decide(IotAction action, String name, Map<String, String> variables) {
        return evaluator.decide(new PolicyRequest(action, arnPrefix + action.resourcePrefix() + name, variables));
    }
}
