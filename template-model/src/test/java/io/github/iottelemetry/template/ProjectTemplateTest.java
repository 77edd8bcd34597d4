package io.github.iottelemetry.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The project's template.yaml: secure by default, tagged, resolvable, and holding the contracts the
 * modules rely on (names, keys, topics, environment variables).
 */
class ProjectTemplateTest {

    private static final List<String> QUARANTINE_REASONS = List.of(
            "MALFORMED_JSON", "SCHEMA_VIOLATION", "IDENTITY_MISMATCH", "TIMESTAMP_OUT_OF_RANGE", "TOO_LARGE", "LATE");

    private final CfnTemplate template = ProjectTemplate.load();
    private final TemplateSecurityRules rules = new TemplateSecurityRules(template);

    @Test
    void noPolicyGrantsEverythingOrAWholeServiceOnEveryResource() {
        assertThat(rules.overlyBroadPolicyStatements()).isEmpty();
    }

    @Test
    void everyBucketTableStreamQueueAndTopicIsEncrypted() {
        assertThat(template.resourcesOfType("AWS::S3::Bucket")).isNotEmpty();
        assertThat(template.resourcesOfType("AWS::DynamoDB::Table")).isNotEmpty();
        assertThat(template.resourcesOfType("AWS::Kinesis::Stream")).isNotEmpty();
        assertThat(rules.unencryptedDataStores()).isEmpty();
    }

    @Test
    void everyTaggableResourceCarriesTheFiveTags() {
        assertThat(rules.untaggedResources()).isEmpty();
    }

    @Test
    void everyGlueTableUsesPartitionProjection() {
        assertThat(template.resourcesOfType("AWS::Glue::Table"))
                .extracting(t -> t.property("TableInput", "Name").orElseThrow())
                .containsExactlyInAnyOrder("raw_telemetry", "telemetry_aggregates", "quarantine");
        assertThat(rules.glueTablesWithoutProjection()).isEmpty();
    }

    /**
     * Loading already rejects references to undefined names; resolving with and without the optional
     * parts evaluates every intrinsic, so nothing may be left unevaluated.
     */
    @ParameterizedTest(name = "StreamProcessorImage=''{0}''")
    @ValueSource(strings = {"", "123456789012.dkr.ecr.eu-west-1.amazonaws.com/stream-processor:1"})
    void everyReferenceResolves(String image) {
        ResolvedTemplate resolved = template.resolve(
                Map.of("StreamProcessorImage", image, "AlarmEmail", image.isEmpty() ? "" : "ops@example.com"),
                PseudoParameters.of("telemetry", "eu-west-1", "123456789012"));

        List<String> unresolved = new ArrayList<>();
        resolved.resources()
                .values()
                .forEach(resource ->
                        collectUnresolved(resource.properties(), "resource " + resource.logicalId(), unresolved));
        resolved.outputs().forEach((name, value) -> collectUnresolved(value, "output " + name, unresolved));
        assertThat(unresolved).isEmpty();
        assertThat(resolved.resource("StreamProcessorService").isPresent()).isEqualTo(!image.isEmpty());
    }

    private static void collectUnresolved(Object value, String where, List<String> unresolved) {
        if (Intrinsics.functionName(value).isPresent()) {
            unresolved.add(where + ": " + value);
        } else if (value instanceof Map<?, ?> map) {
            map.values().forEach(child -> collectUnresolved(child, where, unresolved));
        } else if (value instanceof List<?> list) {
            list.forEach(child -> collectUnresolved(child, where, unresolved));
        }
    }

    @Test
    void topicRuleFollowsTheIngestionContract() {
        TemplateResource rule = template.resourcesOfType("AWS::IoT::TopicRule").get(0);

        assertThat(template.resolve(Map.of(), PseudoParameters.of("iot-telemetry-dev", "eu-west-1", "123456789012"))
                        .resource(rule.logicalId())
                        .orElseThrow()
                        .stringProperty("RuleName"))
                .as(
                        "rule names are unique per account and region: named after the stack, in the characters rules allow")
                .contains("iot_telemetry_dev_to_kinesis");
        assertThat(rule.property("TopicRulePayload", "Sql"))
                .contains("SELECT *, topic(3) AS thing, timestamp() AS ingestTs FROM 'dt/telemetry/+'");
        assertThat(rule.property("TopicRulePayload", "AwsIotSqlVersion")).contains("2016-03-23");
        assertThat(rule.property("TopicRulePayload", "Actions"))
                .get()
                .asString()
                .contains("PartitionKey=${topic(3)}")
                .contains("CloudwatchMetric");
        assertThat(rule.property("TopicRulePayload", "ErrorAction", "S3", "Key"))
                .get()
                .asString()
                .startsWith("errors/");
    }

    @Test
    void tablesFollowTheStorageContract() {
        ResolvedTemplate resolved = template.resolve(Map.of(), PseudoParameters.local("demo"));

        ResolvedResource deviceState = resolved.resourcesOfType("AWS::DynamoDB::Table").stream()
                .filter(t -> t.stringProperty("TableName").orElse("").equals("demo-device-state"))
                .findFirst()
                .orElseThrow();
        assertThat(deviceState.property("KeySchema"))
                .contains(List.of(Map.of("AttributeName", "deviceId", "KeyType", "HASH")));

        ResolvedResource aggregates = resolved.resourcesOfType("AWS::DynamoDB::Table").stream()
                .filter(t -> t.stringProperty("TableName").orElse("").equals("demo-aggregates"))
                .findFirst()
                .orElseThrow();
        assertThat(aggregates.property("KeySchema"))
                .contains(List.of(
                        Map.of("AttributeName", "pk", "KeyType", "HASH"),
                        Map.of("AttributeName", "windowStart", "KeyType", "RANGE")));
        assertThat(aggregates.property("AttributeDefinitions"))
                .get()
                .asString()
                .contains("windowStart, AttributeType=N");
        assertThat(aggregates.property("TimeToLiveSpecification", "AttributeName"))
                .contains("expiresAt");

        TemplateResource quarantine = template.resourcesOfType("AWS::Glue::Table").stream()
                .filter(t -> t.property("TableInput", "Name").orElse("").equals("quarantine"))
                .findFirst()
                .orElseThrow();
        assertThat(quarantine.property("TableInput", "Parameters", "projection.reason.values"))
                .contains(String.join(",", QUARANTINE_REASONS));
    }

    @Test
    void ingestFunctionHasTheAgreedHandlerAndEnvironment() {
        ResolvedResource function = template.resolve(Map.of(), PseudoParameters.local("demo"))
                .resource("IngestFunction")
                .orElseThrow();

        assertThat(function.property("CodeUri")).contains("ingest-lambda/");
        assertThat(function.property("Handler")).contains("io.github.iottelemetry.ingest.IngestHandler::handleRequest");
        assertThat(function.property("Runtime")).contains("java21");
        assertThat(function.property("Architectures")).contains(List.of("arm64"));
        assertThat(function.metadata()).containsEntry("BuildMethod", "makefile");
        assertThat(function.property("Environment", "Variables"))
                .get()
                .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsKeys(
                        "STREAM_NAME",
                        "DEVICE_STATE_TABLE",
                        "AGGREGATES_TABLE",
                        "LAKE_BUCKET",
                        "ALLOWED_LATENESS_SECONDS",
                        "CORRECTION_HORIZON_HOURS",
                        "AGGREGATION_RESOLUTIONS",
                        "POWERTOOLS_SERVICE_NAME",
                        "POWERTOOLS_METRICS_NAMESPACE",
                        "POWERTOOLS_LOG_LEVEL")
                .containsEntry("DEVICE_STATE_TABLE", "demo-device-state");
    }
}
