package io.github.iottelemetry.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CfnTemplateResolveTest {

    private static final PseudoParameters PSEUDO = PseudoParameters.local("demo");

    private final CfnTemplate template = CfnTemplate.load(Fixtures.template("pipeline.yaml"));

    @Test
    void evaluatesConditionsFromDefaultsAndOverrides() {
        ResolvedTemplate defaults = template.resolve(Map.of(), PSEUDO);
        ResolvedTemplate prod = template.resolve(Map.of("Environment", "prod", "ShardCount", "4"), PSEUDO);

        assertThat(defaults.conditions())
                .containsEntry("IsProd", false)
                .containsEntry("IsOnDemand", true)
                .containsEntry("IsNotProd", true)
                .containsEntry("IsAnything", true)
                .containsEntry("IsProdOnDemand", false);
        assertThat(prod.condition("IsProd")).isTrue();
        assertThat(prod.condition("IsOnDemand")).isFalse();
        assertThat(defaults.parameterValues())
                .containsEntry("Resolutions", List.of("1m", "1h"))
                .containsEntry("ShardCount", "0");
    }

    @Test
    void leavesOutResourcesAndOutputsWhoseConditionIsFalse() {
        ResolvedTemplate dev = template.resolve(Map.of(), PSEUDO);
        ResolvedTemplate prod = template.resolve(Map.of("Environment", "prod"), PSEUDO);

        assertThat(dev.resources()).doesNotContainKey("ProdOnlyQueue");
        assertThat(dev.outputs()).doesNotContainKey("ProdQueue");
        assertThat(prod.resources()).containsKey("ProdOnlyQueue");
        assertThat(prod.outputs()).containsEntry("ProdQueue", "arn:aws:sqs:us-east-1:000000000000:demo-ProdOnlyQueue");
    }

    @Test
    void removesPropertiesSetToNoValue() {
        ResolvedResource onDemand =
                template.resolve(Map.of(), PSEUDO).resource("TelemetryStream").orElseThrow();
        ResolvedResource provisioned = template.resolve(Map.of("ShardCount", "2"), PSEUDO)
                .resource("TelemetryStream")
                .orElseThrow();

        assertThat(onDemand.properties()).doesNotContainKey("ShardCount");
        assertThat(onDemand.stringProperty("StreamModeDetails", "StreamMode")).contains("ON_DEMAND");
        assertThat(provisioned.property("ShardCount")).contains("2");
    }

    @Test
    void evaluatesEveryIntrinsicToPlainValues() {
        ResolvedResource function =
                template.resolve(Map.of(), PSEUDO).resource("IngestFunction").orElseThrow();
        @SuppressWarnings("unchecked")
        Map<String, Object> variables = (Map<String, Object>)
                function.property("Environment", "Variables").orElseThrow();

        assertThat(variables)
                .containsEntry("POWERTOOLS_SERVICE_NAME", "ingest")
                .containsEntry("STREAM_NAME", "demo-telemetry")
                .containsEntry("STREAM_ARN", "arn:aws:kinesis:us-east-1:000000000000:stream/demo-telemetry")
                .containsEntry("TABLE_ARN", "arn:aws:dynamodb:us-east-1:000000000000:table/demo-device-state")
                .containsEntry("LAKE_BUCKET", "demo-lakebucket")
                .containsEntry("FIRST_RESOLUTION", "1m")
                .containsEntry("SECOND_PART", "b")
                .containsEntry("QUEUE", "none")
                .containsEntry("ENCODED", "aGVsbG8=")
                .containsEntry("FIRST_ZONE", "us-east-1a")
                .containsEntry("LITERAL", "${NotAVariable}-dev")
                .containsEntry("WITH_VARIABLES", "dev/arn:aws:s3:::demo-lakebucket")
                .containsEntry("SUBNET", "10.0.1.0/24");
        assertThat(function.property("MemorySize")).contains(512);
        assertThat(function.property("Tags", "Owner")).contains("platform");
    }

    @Test
    void leavesWhatTheResolverCannotAnswerAsALongFormCall() {
        ResolvedTemplate resolved = template.resolve(Map.of(), PSEUDO);

        assertThat(resolved.resource("IngestFunction").orElseThrow().property("Environment", "Variables", "IMPORTED"))
                .contains(Map.of("Fn::ImportValue", "shared-vpc-id"));
    }

    @Test
    void usesAPluggableResolverForResourceReferences() {
        ResourceResolver localEngines = new DefaultResourceResolver() {
            @Override
            public Optional<Object> attribute(ResolvedResource resource, String attribute, PseudoParameters pseudo) {
                if (resource.type().equals("AWS::Kinesis::Stream") && attribute.equals("Arn")) {
                    return Optional.of("local-stream:" + physicalName(resource, pseudo));
                }
                return super.attribute(resource, attribute, pseudo);
            }

            @Override
            public Optional<Object> importValue(String exportName) {
                return Optional.of("vpc-local");
            }
        };

        ResolvedTemplate resolved = template.resolve(Map.of(), PSEUDO, localEngines);

        assertThat(resolved.resource("IngestFunction").orElseThrow().property("Environment", "Variables"))
                .get()
                .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("STREAM_ARN", "local-stream:demo-telemetry")
                .containsEntry("IMPORTED", "vpc-local");
        assertThat(resolved.attribute("TelemetryStream", "Arn")).contains("local-stream:demo-telemetry");
        assertThat(resolved.ref("DeviceStateTable")).contains("demo-device-state");
    }

    @Test
    void resolvesOutputs() {
        ResolvedTemplate resolved = template.resolve(
                Map.of("Environment", "prod"), PseudoParameters.of("live", "eu-west-1", "123456789012"));

        assertThat(resolved.outputs())
                .containsEntry("StreamName", "live-telemetry")
                .containsEntry("AnythingHolds", "yes")
                .containsEntry("ProdOnDemand", "yes");
    }

    @Test
    void keepsUnresolvedSubVariablesInsideASub() {
        CfnTemplate withImport = CfnTemplate.load("""
        Resources:
          Topic:
            Type: AWS::SNS::Topic
            Properties:
              DisplayName: !Sub
                - "${AWS::Region}/${Vpc}/${!Literal}"
                - Vpc: !ImportValue shared-vpc-id
        """, "inline.yaml");

        Object displayName = withImport
                .resolve(Map.of(), PSEUDO)
                .resource("Topic")
                .orElseThrow()
                .property("DisplayName")
                .orElseThrow();

        assertThat(displayName)
                .isEqualTo(Map.of(
                        "Fn::Sub",
                        List.of(
                                "us-east-1/${Vpc}/${!Literal}",
                                Map.of("Vpc", Map.of("Fn::ImportValue", "shared-vpc-id")))));
    }

    @Test
    void rejectsAMissingParameterWithoutDefault() {
        CfnTemplate needsEmail = CfnTemplate.load(Fixtures.template("missing-parameter.yaml"));

        assertThatThrownBy(() -> needsEmail.resolve(Map.of(), PSEUDO))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining(
                        "missing-parameter.yaml:2 parameter AlarmEmail: has no Default and no value was given");
        assertThat(needsEmail
                        .resolve(Map.of("AlarmEmail", "ops@example.com"), PSEUDO)
                        .resource("Topic")
                        .orElseThrow()
                        .property("TopicName"))
                .contains("ops@example.com");
    }

    @Test
    void rejectsValuesOutsideAllowedValuesOrPattern() {
        assertThatThrownBy(() -> template.resolve(Map.of("Environment", "staging"), PSEUDO))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining(
                        "pipeline.yaml:6 parameter Environment: value 'staging' is not one of AllowedValues [dev, prod]");
        assertThatThrownBy(() -> template.resolve(Map.of("Owner", "Team-1"), PSEUDO))
                .hasMessageContaining("parameter Owner: value 'Team-1' does not match AllowedPattern [a-z]+");
        assertThatThrownBy(() -> template.resolve(Map.of("ShardCount", "many"), PSEUDO))
                .hasMessageContaining("parameter ShardCount: value 'many' is not a Number");
    }

    @Test
    void rejectsValuesForParametersTheTemplateDoesNotHave() {
        assertThatThrownBy(() -> template.resolve(Map.of("Stage", "dev"), PSEUDO))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("parameter Stage: a value was given but the template has no such parameter");
    }

    @Test
    void rejectsAReferenceToAResourceThatIsNotCreated() {
        CfnTemplate unguarded = CfnTemplate.load("""
        Conditions:
          Never: !Equals [a, b]
        Resources:
          Queue:
            Type: AWS::SQS::Queue
            Condition: Never
          Topic:
            Type: AWS::SNS::Topic
            Properties:
              DisplayName: !GetAtt Queue.QueueName
        """, "inline.yaml");

        assertThatThrownBy(() -> unguarded.resolve(Map.of(), PSEUDO))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("inline.yaml:10 resource Topic: refers to resource Queue, which is not created");
    }

    @Test
    void reportsCircularReferencesBetweenResources() {
        CfnTemplate circular = CfnTemplate.load("""
        Resources:
          First:
            Type: AWS::SNS::Topic
            Properties:
              DisplayName: !GetAtt Second.TopicName
          Second:
            Type: AWS::SNS::Topic
            Properties:
              DisplayName: !GetAtt First.TopicName
        """, "inline.yaml");

        assertThatThrownBy(() -> circular.resolve(Map.of(), PSEUDO))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("circular reference");
    }
}
