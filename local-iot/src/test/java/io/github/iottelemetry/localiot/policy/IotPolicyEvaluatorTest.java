package io.github.iottelemetry.localiot.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.iottelemetry.template.CfnTemplate;
import io.github.iottelemetry.template.PseudoParameters;
import io.github.iottelemetry.template.StackNames;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IotPolicyEvaluatorTest {

    private static final String PREFIX = DeviceAuthorization.arnPrefix("aws", "us-east-1", "000000000000");

    private static DeviceAuthorization projectPolicy(Map<String, String> parameters) {
        var resolved =
                CfnTemplate.load(Path.of("../template.yaml")).resolve(parameters, PseudoParameters.local("demo"));
        return new DeviceAuthorization(new IotPolicyEvaluator(TemplatePolicies.load(resolved)), PREFIX);
    }

    private static DeviceAuthorization policy(String json) {
        Object document = parseJson(json);
        return new DeviceAuthorization(
                new IotPolicyEvaluator(List.of(IotPolicyDocument.parse("test", document))), PREFIX);
    }

    private static Object parseJson(String json) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readValue(json, Object.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void theTemplatesDevicePolicyLetsADeviceConnectAsItselfAndPublishOnlyToItsOwnTopic() {
        DeviceAuthorization policy = projectPolicy(Map.of());
        Map<String, String> device = DeviceAuthorization.variables("sim-000042", "sim-000042");

        assertThat(policy.connect(device, "sim-000042").allowed()).isTrue();
        assertThat(policy.publish(device, "dt/telemetry/sim-000042").allowed()).isTrue();

        assertThat(policy.connect(DeviceAuthorization.variables("sim-000042", "sim-000043"), "sim-000043")
                        .allowed())
                .isFalse();
        assertThat(policy.publish(device, "dt/telemetry/sim-000043").allowed()).isFalse();
        assertThat(policy.publish(device, "dt/telemetry/sim-000042/extra").allowed())
                .isFalse();
        assertThat(policy.subscribe(device, "dt/telemetry/#").allowed()).isFalse();
        assertThat(policy.receive(device, "dt/telemetry/sim-000042").allowed()).isFalse();
    }

    @Test
    void basicIngestTopicIsAllowedOnlyWhenTheTemplateConditionTurnsItOn() {
        Map<String, String> device = DeviceAuthorization.variables("sim-1", "sim-1");
        // The stack "demo" names its rule demo_to_kinesis.
        String basicIngest = "$aws/rules/" + StackNames.telemetryRule("demo") + "/dt/telemetry/sim-1";
        assertThat(projectPolicy(Map.of("UseBasicIngest", "true"))
                        .publish(device, "$aws/rules/telemetry_to_kinesis/dt/telemetry/sim-1")
                        .allowed())
                .as("another stack's rule")
                .isFalse();

        assertThat(projectPolicy(Map.of("UseBasicIngest", "true"))
                        .publish(device, basicIngest)
                        .allowed())
                .isTrue();
        assertThat(projectPolicy(Map.of("UseBasicIngest", "false"))
                        .publish(device, basicIngest)
                        .allowed())
                .isFalse();
    }

    @Test
    void explicitDenyWinsOverAnAllowAndNamesTheStatement() {
        DeviceAuthorization policy = policy("""
                {"Version":"2012-10-17","Statement":[
                  {"Effect":"Allow","Action":"iot:*","Resource":"*"},
                  {"Effect":"Deny","Action":["iot:Publish"],"Resource":"arn:aws:iot:us-east-1:000000000000:topic/admin/*"}]}
                """);
        Map<String, String> device = DeviceAuthorization.variables("d", "d");

        PolicyDecision denied = policy.publish(device, "admin/reset");
        assertThat(denied.allowed()).isFalse();
        assertThat(denied.reason()).isEqualTo("explicitly denied by policy test statement 1");
        assertThat(policy.publish(device, "dt/anything").allowed()).isTrue();
    }

    @Test
    void questionMarkMatchesOneCharacterAndMqttWildcardsAreLiteralInTopicFilters() {
        DeviceAuthorization policy = policy("""
                {"Statement":[
                  {"Effect":"Allow","Action":"iot:Publish","Resource":"arn:aws:iot:us-east-1:000000000000:topic/room/?"},
                  {"Effect":"Allow","Action":"iot:Subscribe",
                   "Resource":"arn:aws:iot:us-east-1:000000000000:topicfilter/cmd/${iot:ClientId}/+"}]}
                """);
        Map<String, String> device = DeviceAuthorization.variables("t", "c-7");

        assertThat(policy.publish(device, "room/1").allowed()).isTrue();
        assertThat(policy.publish(device, "room/12").allowed()).isFalse();
        assertThat(policy.subscribe(device, "cmd/c-7/+").allowed()).isTrue();
        assertThat(policy.subscribe(device, "cmd/c-7/x").allowed()).isFalse();
        assertThat(policy.subscribe(device, "cmd/c-8/+").allowed()).isFalse();
    }

    @Test
    void conditionsMustHoldAndAnUnknownKeyFailsUnlessIfExists() {
        DeviceAuthorization policy = policy("""
                {"Statement":[
                  {"Effect":"Allow","Action":"iot:Connect","Resource":"*",
                   "Condition":{"StringLike":{"iot:ClientId":"sim-*"},"Bool":{"iot:Connection.Thing.IsAttached":"true"}}},
                  {"Effect":"Allow","Action":"iot:Publish","Resource":"*",
                   "Condition":{"StringEquals":{"iot:Connection.Thing.ThingTypeName":"sensor"}}},
                  {"Effect":"Allow","Action":"iot:Receive","Resource":"*",
                   "Condition":{"StringEqualsIfExists":{"iot:Connection.Thing.ThingTypeName":"sensor"}}}]}
                """);

        assertThat(policy.connect(DeviceAuthorization.variables("a", "sim-1"), "sim-1")
                        .allowed())
                .isTrue();
        assertThat(policy.connect(DeviceAuthorization.variables("a", "other"), "other")
                        .allowed())
                .isFalse();
        assertThat(policy.publish(DeviceAuthorization.variables("a", "sim-1"), "x")
                        .allowed())
                .isFalse();
        assertThat(policy.receive(DeviceAuthorization.variables("a", "sim-1"), "x")
                        .allowed())
                .isTrue();
    }

    @Test
    void nothingIsAllowedWithoutAStatementAndAMissingVariableMatchesNothing() {
        DeviceAuthorization policy = policy("""
                {"Statement":[{"Effect":"Allow","Action":"iot:Publish",
                  "Resource":"arn:aws:iot:us-east-1:000000000000:topic/${iot:Connection.Thing.Attributes[room]}"}]}
                """);
        assertThat(policy.publish(DeviceAuthorization.variables("a", "a"), "anything")
                        .reason())
                .isEqualTo("no policy statement allows it");
    }

    @Test
    void unsupportedConstructsFailAtLoadNamingPolicyAndStatement() {
        assertThatThrownBy(() -> IotPolicyDocument.parse("p", parseJson("""
                {"Statement":[{"Effect":"Allow","Action":"iot:*","Resource":"*"},
                              {"Effect":"Allow","NotAction":"iot:Connect","Resource":"*"}]}""")))
                .hasMessage(
                        "IoT policy p statement 1: NotAction is not evaluated by the local broker; use Action/Resource");
        assertThatThrownBy(() -> IotPolicyDocument.parse("p", parseJson("""
                {"Statement":[{"Effect":"Allow","Action":"iot:*","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"x"}}}]}""")))
                .hasMessageStartingWith(
                        "IoT policy p statement 0: condition operator DateGreaterThan is not evaluated");
    }
}
