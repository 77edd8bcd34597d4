package io.github.iottelemetry.localcloud.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.iottelemetry.template.TemplateException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;

class TemplateProvisioningTest {

    private static final String STACK = "unit";

    @Test
    void plansStreamsTablesBucketsAndNamesWhatIsNotEmulated() {
        LocalResourcePlan plan = plan("pipeline-resources.yaml", Map.of());

        assertThat(plan.streams()).containsExactly(new StreamSpec("TelemetryStream", "unit-telemetry", 2, false));
        assertThat(plan.buckets()).containsExactly(new BucketSpec("LakeBucket", "unit-lakebucket"));
        assertThat(plan.notEmulated())
                .extracting(NotEmulatedResource::logicalId, NotEmulatedResource::type)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("IngestFunction", "AWS::Serverless::Function"),
                        org.assertj.core.groups.Tuple.tuple("TelemetryRule", "AWS::IoT::TopicRule"));

        TableSpec deviceState = plan.tables().get(0);
        assertThat(deviceState.name()).isEqualTo("unit-device-state");
        assertThat(deviceState.request().billingMode()).isEqualTo(BillingMode.PAY_PER_REQUEST);
        assertThat(deviceState.request().keySchema())
                .extracting(KeySchemaElement::attributeName)
                .containsExactly("deviceId");
        assertThat(deviceState.request().globalSecondaryIndexes())
                .singleElement()
                .satisfies(index -> {
                    assertThat(index.indexName()).isEqualTo("by-fleet");
                    assertThat(index.keySchema())
                            .extracting(KeySchemaElement::attributeName)
                            .containsExactly("fleet", "lastTs");
                    assertThat(index.provisionedThroughput()).isNull();
                });
        assertThat(deviceState.timeToLiveAttribute()).isEmpty();
        assertThat(deviceState.notApplied()).isEmpty();

        TableSpec aggregates = plan.tables().get(1);
        assertThat(aggregates.request().billingMode()).isEqualTo(BillingMode.PROVISIONED);
        assertThat(aggregates.request().provisionedThroughput().readCapacityUnits())
                .isEqualTo(5L);
        assertThat(aggregates.request().keySchema())
                .extracting(KeySchemaElement::attributeName)
                .containsExactly("pk", "windowStart");
        assertThat(aggregates.timeToLiveAttribute()).contains("expiresAt");
        assertThat(aggregates.notApplied())
                .containsExactly(
                        "KinesisStreamSpecification: not emulated by the local DynamoDB engine",
                        "PointInTimeRecoverySpecification: no backups: an item deleted or overwritten here cannot be restored",
                        "SSESpecification: items are stored unencrypted in the state folder");
    }

    @Test
    void environmentComesFromTheFunctionsVariablesIncludingSamGlobals() {
        LocalResourcePlan plan = plan("pipeline-resources.yaml", Map.of());

        assertThat(plan.resourceEnvironment())
                .containsExactly(
                        Map.entry("LAKE_BUCKET", "unit-lakebucket"),
                        Map.entry("DEVICE_STATE_TABLE", "unit-device-state"),
                        Map.entry("AGGREGATES_TABLE", "unit-aggregates"),
                        Map.entry("STREAM_NAME", "unit-telemetry"));
    }

    @Test
    void onDemandStreamGetsTheShardsAwsStartsOnDemandWith() {
        LocalResourcePlan plan = plan("pipeline-resources.yaml", Map.of("Environment", "prod"));

        assertThat(plan.streams())
                .containsExactly(
                        new StreamSpec("TelemetryStream", "unit-telemetry", StreamSpec.ON_DEMAND_LOCAL_SHARDS, true));
    }

    @Test
    void yamlErrorNamesFileAndLine() {
        assertThatThrownBy(() -> plan("yaml-error.yaml", Map.of()))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("yaml-error.yaml:")
                .satisfies(
                        error -> assertThat(((TemplateException) error).line()).isBetween(5, 6));
    }

    @Test
    void unknownRefNamesFileLineAndResource() {
        assertThatThrownBy(() -> plan("unknown-ref.yaml", Map.of()))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("unknown-ref.yaml:")
                .hasMessageContaining("LakeBucket")
                .hasMessageContaining("LakeBucketName");
    }

    @Test
    void missingParameterValueIsNamed() {
        assertThatThrownBy(() -> plan("missing-parameter.yaml", Map.of()))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("missing-parameter.yaml")
                .hasMessageContaining("LakeBucketName");

        assertThat(plan("missing-parameter.yaml", Map.of("LakeBucketName", "given"))
                        .buckets())
                .containsExactly(new BucketSpec("LakeBucket", "given"));
    }

    @Test
    void tableWithoutKeySchemaFailsWithFileLineAndResource() {
        assertThatThrownBy(() -> plan("table-without-key-schema.yaml", Map.of()))
                .isInstanceOf(ProvisioningException.class)
                .hasMessageStartingWith(fixture("table-without-key-schema.yaml")
                        + ":4 resource DeviceStateTable (AWS::DynamoDB::Table): ")
                .hasMessageContaining("KeySchema is required");
    }

    @Test
    void provisionedTableWithoutThroughputFails() {
        assertThatThrownBy(() -> plan("provisioned-table-without-throughput.yaml", Map.of()))
                .isInstanceOf(ProvisioningException.class)
                .hasMessageContaining(":2 resource AggregatesTable")
                .hasMessageContaining("ProvisionedThroughput is required when BillingMode is PROVISIONED");
    }

    private static LocalResourcePlan plan(String fixture, Map<String, String> parameters) {
        return TemplateProvisioning.plan(Path.of(fixture(fixture)), STACK, "us-east-1", parameters);
    }

    private static String fixture(String name) {
        try {
            return Path.of(TemplateProvisioningTest.class
                            .getResource("/templates/" + name)
                            .toURI())
                    .toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
