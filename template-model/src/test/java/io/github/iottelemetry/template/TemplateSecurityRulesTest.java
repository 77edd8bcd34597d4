package io.github.iottelemetry.template;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The security rules catch what they are meant to, on a template that breaks each of them. */
class TemplateSecurityRulesTest {

    private final TemplateSecurityRules rules =
            new TemplateSecurityRules(CfnTemplate.load(Fixtures.template("insecure.yaml")));

    @Test
    void findsWildcardActionsNotActionAndServiceWideGrantsOnEveryResource() {
        assertThat(rules.overlyBroadPolicyStatements())
                .hasSize(4)
                .anySatisfy(v -> assertThat(v).contains(":15 resource OpenRole: Allow statement grants Action \"*\""))
                .anySatisfy(v -> assertThat(v)
                        .contains(":18 resource OpenRole: Allow statement grants dynamodb:* on Resource \"*\""))
                .anySatisfy(v -> assertThat(v).contains(":21 resource OpenRole: Allow statement with NotAction"))
                .anySatisfy(v -> assertThat(v)
                        .contains(":63 resource OpenFunction: Allow statement grants sqs:* on Resource \"*\""));
    }

    @Test
    void findsDataStoresWithoutEncryption() {
        assertThat(rules.unencryptedDataStores())
                .hasSize(3)
                .anySatisfy(v -> assertThat(v).endsWith("resource PlainBucket: has no BucketEncryption"))
                .anySatisfy(v ->
                        assertThat(v).endsWith("resource PlainTable: has no SSESpecification with SSEEnabled: true"))
                .anySatisfy(v -> assertThat(v)
                        .endsWith("resource PlainStream: has no StreamEncryption with EncryptionType: KMS"));
    }

    @Test
    void findsMissingTagsInBothTagFormsAndUnclassifiedTypes() {
        assertThat(rules.untaggedResources())
                .hasSize(5)
                .anySatisfy(v -> assertThat(v)
                        .endsWith(
                                "resource OpenRole: misses tags [Application, CostCenter, DataClassification, Owner]"))
                .anySatisfy(
                        v -> assertThat(v)
                                .endsWith(
                                        "resource PlainBucket: misses tags [Application, CostCenter, DataClassification, Environment, Owner]"))
                .anySatisfy(
                        v -> assertThat(v)
                                .endsWith(
                                        "resource PlainTable: misses tags [Application, CostCenter, DataClassification, Environment, Owner]"))
                .anySatisfy(
                        v -> assertThat(v)
                                .endsWith(
                                        "resource OpenFunction: misses tags [Application, CostCenter, DataClassification, Owner]"))
                .anySatisfy(
                        v -> assertThat(v).contains("resource UnknownThing: type AWS::Pipes::Pipe is not classified"));
    }

    @Test
    void findsGlueTablesWithoutFullPartitionProjection() {
        assertThat(rules.glueTablesWithoutProjection())
                .hasSize(2)
                .anySatisfy(v -> assertThat(v)
                        .endsWith(
                                "resource UnprojectedTable: TableInput.Parameters has no projection.enabled: \"true\""))
                .anySatisfy(v -> assertThat(v)
                        .endsWith("resource HalfProjectedTable: partition key dt has no projection.dt.type"));
    }
}
