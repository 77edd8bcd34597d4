package io.github.iottelemetry.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CfnTemplateLoadTest {

    private final CfnTemplate template = CfnTemplate.load(Fixtures.template("pipeline.yaml"));

    @Test
    void shortFormIntrinsicsBecomeTheirLongForm() {
        TemplateResource function = template.resource("IngestFunction").orElseThrow();

        assertThat(function.property("Environment", "Variables", "STREAM_NAME"))
                .contains(Map.of("Ref", "TelemetryStream"));
        assertThat(function.property("Environment", "Variables", "STREAM_ARN"))
                .contains(Map.of("Fn::GetAtt", List.of("TelemetryStream", "Arn")));
        assertThat(function.property("Environment", "Variables", "FIRST_RESOLUTION"))
                .contains(Map.of("Fn::Select", List.of(0, Map.of("Ref", "Resolutions"))));
        assertThat(template.conditions().get("IsProdOnDemand"))
                .isEqualTo(
                        Map.of("Fn::And", List.of(Map.of("Condition", "IsProd"), Map.of("Condition", "IsOnDemand"))));
    }

    @Test
    void scalarsAreTypedTheWayCloudFormationReadsThem() {
        TemplateResource function = template.resource("IngestFunction").orElseThrow();
        @SuppressWarnings("unchecked")
        Map<String, Object> policy =
                (Map<String, Object>) ((List<Object>) function.properties().get("Policies")).get(0);

        assertThat(policy.get("Version")).isEqualTo("2012-10-17");
        assertThat(template.parameters().get("ShardCount").defaultValue()).contains("0");
        assertThat(template.mappings())
                .extractingByKey("StageSettings")
                .extracting("prod")
                .isEqualTo(Map.of("MemorySize", 1024));
        assertThat(template.outputs().get("AnythingHolds").value())
                .isEqualTo(Map.of("Fn::If", List.of("IsAnything", "yes", "no")));
    }

    @Test
    void readsParametersWithDefaultsTypesAndAllowedValues() {
        assertThat(template.parameters()).containsOnlyKeys("Environment", "ShardCount", "Owner", "Resolutions");
        TemplateParameter environment = template.parameters().get("Environment");
        assertThat(environment.type()).isEqualTo("String");
        assertThat(environment.defaultValue()).contains("dev");
        assertThat(environment.allowedValues()).containsExactly("dev", "prod");
        assertThat(environment.description()).contains("Deployment stage.");
        assertThat(environment.line()).isEqualTo(6);
        assertThat(template.parameters().get("Resolutions").isList()).isTrue();
    }

    @Test
    void offersResourcesByTypeAndOutputs() {
        assertThat(template.isServerless()).isTrue();
        assertThat(template.resources().keySet())
                .containsExactly(
                        "TelemetryStream", "DeviceStateTable", "LakeBucket", "ProdOnlyQueue", "IngestFunction");
        assertThat(template.resourcesOfType("AWS::Kinesis::Stream"))
                .extracting(TemplateResource::logicalId)
                .containsExactly("TelemetryStream");
        assertThat(template.resource("ProdOnlyQueue").orElseThrow().condition()).contains("IsProd");
        assertThat(template.resource("TelemetryStream").orElseThrow().line()).isEqualTo(49);
        assertThat(template.outputs().get("StreamName").exportName())
                .contains(Map.of("Fn::Sub", "${AWS::StackName}-StreamName"));
    }

    @Test
    void mergesSamGlobalsIntoFunctionsWithSamRules() {
        TemplateResource function = template.resource("IngestFunction").orElseThrow();

        assertThat(function.property("Runtime")).contains("java21");
        assertThat(function.property("Environment", "Variables", "POWERTOOLS_SERVICE_NAME"))
                .contains("ingest");
        assertThat(function.property("Environment", "Variables", "LAKE_BUCKET")).contains(Map.of("Ref", "LakeBucket"));
        assertThat(function.property("Tags"))
                .contains(Map.of("Owner", Map.of("Ref", "Owner"), "Application", "pipeline"));
        assertThat(function.property("Layers"))
                .contains(List.of(
                        "arn:aws:lambda:us-east-1:000000000000:layer:common:1",
                        "arn:aws:lambda:us-east-1:000000000000:layer:ingest:1"));
    }

    @Test
    void remembersTheLineOfNestedMaps() {
        TemplateResource function = template.resource("IngestFunction").orElseThrow();

        assertThat(template.lineOf(function.property("Environment", "Variables").orElseThrow()))
                .isEqualTo(77);
        assertThat(template.lineOf("not from the file")).isZero();
    }
}
