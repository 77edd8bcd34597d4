package io.github.iottelemetry.localiot.policy;

/** The IoT Core data-plane actions this broker authorizes, with the ARN resource kind each one names. */
public enum IotAction {
    CONNECT("iot:Connect", "client/"),
    PUBLISH("iot:Publish", "topic/"),
    SUBSCRIBE("iot:Subscribe", "topicfilter/"),
    RECEIVE("iot:Receive", "topic/");

    private final String policyName;
    private final String resourcePrefix;

    IotAction(String policyName, String resourcePrefix) {
        this.policyName = policyName;
        this.resourcePrefix = resourcePrefix;
    }

    /** The name in a policy's Action, such as {@code iot:Publish}. */
    public String policyName() {
        return policyName;
    }

    /** {@code client/}, {@code topic/} or {@code topicfilter/}: what follows {@code arn:...:iot:region:account:}. */
    public String resourcePrefix() {
        return resourcePrefix;
    }
}
