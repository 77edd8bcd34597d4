package io.github.iottelemetry.template;

/**
 * The stack names every tool defaults to, and the names the template derives from a stack name, written once:
 * {@code scripts/deploy}, {@code sim provision --aws}, {@code query --athena} and {@code cost} agree on the AWS
 * stack; {@code up}, {@code verify} and {@code query} on the local one (a test reads the deploy script's default).
 */
public final class StackNames {

    /** The stack {@code scripts/deploy} creates unless told otherwise. */
    public static final String AWS_DEFAULT = "iot-telemetry";

    /** The stack name the local cloud provisions the template as. */
    public static final String LOCAL_DEFAULT = "iot-telemetry-local";

    private StackNames() {}

    /** The template's DevicePolicy: {@code ${AWS::StackName}-device}. */
    public static String devicePolicy(String stackName) {
        return stackName + "-device";
    }

    /** The stream processor's KCL application, which is also its lease table: the template's KclLeaseTable. */
    public static String kclApplication(String stackName) {
        return stackName + "-stream-processor";
    }

    /**
     * The template's TelemetryRule: IoT rule names allow letters, digits and underscores only, so the stack's hyphens
     * become underscores ({@code iot-telemetry} gives {@code iot_telemetry_to_kinesis}).
     */
    public static String telemetryRule(String stackName) {
        return stackName.replace('-', '_') + "_to_kinesis";
    }
}
