package io.github.iottelemetry.iotrules.functions;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A function of the AWS IoT SQL reference that this engine refuses at parse time, and why: most call another AWS
 * service, which the local cloud does not stand in for inside a rule; a few read data the local broker does not
 * pass to the rules engine. Refusing keeps a rule from silently computing something IoT Core would not.
 */
public record NotEmulatedFunction(String signature, String reason) {

    private static final List<NotEmulatedFunction> ALL = List.of(
            new NotEmulatedFunction("aws_lambda(functionArn, inputJson)", "it calls an AWS Lambda function"),
            new NotEmulatedFunction(
                    "get_dynamodb(tableName, partitionKeyName, partitionKeyValue, sortKeyName, sortKeyValue, roleArn)",
                    "it reads an Amazon DynamoDB table"),
            new NotEmulatedFunction(
                    "get_registry_data(registryAPI, thingName, roleArn)", "it reads the AWS IoT thing registry"),
            new NotEmulatedFunction("get_secret(secretId, secretType, key, roleArn)", "it reads AWS Secrets Manager"),
            new NotEmulatedFunction(
                    "get_thing_shadow(thingName, shadowName, roleArn)", "it reads the AWS IoT Device Shadow service"),
            new NotEmulatedFunction(
                    "machinelearning_predict(modelId, roleArn, record)", "it calls Amazon Machine Learning"),
            new NotEmulatedFunction(
                    "get_mqtt_property(name)",
                    "it reads MQTT 5 properties, which the local broker does not pass to the rules engine"),
            new NotEmulatedFunction(
                    "get_user_properties(userPropertyKey)",
                    "it reads MQTT 5 user properties, which the local broker does not pass to the rules engine"),
            new NotEmulatedFunction(
                    "sourceip()",
                    "it reads the client's IP address, which the local broker does not pass to the rules engine"),
            new NotEmulatedFunction(
                    "get_or_default(expression, defaultValue)",
                    "its argument and result rules were not available to this engine's authors, and a guess could differ from "
                            + "IoT Core; write CASE WHEN isUndefined(x) THEN d ELSE x END instead"));

    public String name() {
        return signature.substring(0, signature.indexOf('('));
    }

    public static List<NotEmulatedFunction> all() {
        return ALL;
    }

    public static Optional<NotEmulatedFunction> find(String name) {
        String lowerCase = name.toLowerCase(Locale.ROOT);
        return ALL.stream().filter(f -> f.name().equals(lowerCase)).findFirst();
    }

    /** The parse error's reason. */
    public String refusal() {
        return name() + "() is not emulated by the local rules engine: " + reason;
    }
}
