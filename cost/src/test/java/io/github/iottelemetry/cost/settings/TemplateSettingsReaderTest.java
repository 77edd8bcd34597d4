package io.github.iottelemetry.cost.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.iottelemetry.cost.CostInputException;
import io.github.iottelemetry.cost.estimate.Settings;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TemplateSettingsReaderTest {

    static Path fixture() {
        try {
            return Path.of(TemplateSettingsReaderTest.class
                    .getResource("/templates/pipeline.yaml")
                    .toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void readsTheSettingsThatDecideTheBill() {
        PipelineSettings settings = TemplateSettingsReader.read(fixture(), Map.of(), "us-east-1");

        assertThat(settings.stream().onDemand()).isTrue();
        assertThat(settings.stream().consumers()).isEqualTo(2);
        assertThat(settings.rules().useBasicIngest()).isTrue();
        assertThat(settings.rules().rulesPerMessage()).isEqualTo(1);
        assertThat(settings.rules().actionsPerMessage()).isEqualTo(1);
        assertThat(settings.ingest()).isEqualTo(new PipelineSettings.Ingest(512, "arm64", 500, 1, 1, false, 0));
        assertThat(settings.aggregation().resolutions())
                .extracting(Object::toString)
                .containsExactly("1m", "1h");
        assertThat(settings.aggregation().maxOpenSeconds())
                .as("the processor's default")
                .isEqualTo(300);
        assertThat(settings.aggregation().ttlDays())
                .as("no processor environment: the retention")
                .isEqualTo(30);
        assertThat(settings.processor())
                .isEqualTo(new PipelineSettings.Processor(true, 2, 2, 1.0, 2.0, "ARM64", false, false));
        assertThat(settings.tables()).isEqualTo(new PipelineSettings.Tables(false, false, false));
        assertThat(settings.lake().dataRetentionDays()).isEqualTo(30);
        assertThat(settings.lake().versioned()).isFalse();
        assertThat(settings.observability().alarms()).isEqualTo(2);
        assertThat(settings.observability().dashboards()).isEqualTo(1);
        assertThat(settings.observability().logRetentionDays()).contains(14);
        assertThat(settings.lake().lifecycle()).hasSize(2);
        assertThat(settings.lake().lifecycle().get(0).prefix()).contains("raw/");
        assertThat(settings.lake().lifecycle().get(0).objectSizeGreaterThan()).isEmpty();
        assertThat(settings.lake().lifecycle().get(0).transitions())
                .containsExactly(new LifecycleRule.Transition(30, "STANDARD_IA"));
        assertThat(settings.lake().lifecycle().get(0).expirationDays()).isEqualTo(Optional.of(30));
    }

    /** The model tests price Settings.templateDefaults(): it must be what the project's template deploys. */
    @Test
    void theProjectsTemplateAsDeployedIsTheDefaultsTheModelTestsPrice() {
        PipelineSettings read = TemplateSettingsReader.read(
                Path.of("..", "template.yaml"), Map.of("StreamProcessorImage", "repository:tag"), "us-east-1");
        PipelineSettings expected = Settings.templateDefaults();

        assertThat(read.stream()).isEqualTo(expected.stream());
        assertThat(read.rules()).isEqualTo(expected.rules());
        assertThat(read.ingest()).isEqualTo(expected.ingest());
        assertThat(read.aggregation()).isEqualTo(expected.aggregation());
        assertThat(read.processor()).isEqualTo(expected.processor());
        assertThat(read.tables()).isEqualTo(expected.tables());
        assertThat(read.lake()).isEqualTo(expected.lake());
        assertThat(read.observability()).isEqualTo(expected.observability());
    }

    @Test
    void withoutTheProcessorImageTheStackRunsNoProcessor() {
        PipelineSettings read = TemplateSettingsReader.read(Path.of("..", "template.yaml"), Map.of(), "us-east-1");

        assertThat(read.processor().deployed()).isFalse();
        assertThat(read.stream().consumers())
                .as("the ingest function alone reads the stream")
                .isEqualTo(1);
        assertThat(read.notes()).anySatisfy(note -> assertThat(note).contains("runs no stream-processor service"));
    }

    @Test
    void theAggregatesTableGetsBackupsWhenAsked() {
        PipelineSettings read = TemplateSettingsReader.read(
                Path.of("..", "template.yaml"),
                Map.of(
                        "StreamProcessorImage",
                        "repository:tag",
                        "AggregatesPointInTimeRecovery",
                        "true",
                        "HotWindowDays",
                        "30",
                        "DeviceStateIntervalSeconds",
                        "0"),
                "us-east-1");

        assertThat(read.tables().aggregatesPitr()).isTrue();
        assertThat(read.aggregation().shortWindowTtlDays()).isEqualTo(30);
        assertThat(read.ingest().deviceStateIntervalSeconds()).isZero();
    }

    @Test
    void appliesParameterOverridesThroughTheTemplate() {
        PipelineSettings settings = TemplateSettingsReader.read(
                fixture(),
                Map.of(
                        "ShardCount",
                        "4",
                        "UseBasicIngest",
                        "false",
                        "StreamProcessorDesiredCount",
                        "3",
                        "DataRetentionDays",
                        "90"),
                "us-east-1");

        assertThat(settings.stream().onDemand()).isFalse();
        assertThat(settings.stream().provisionedShards()).isEqualTo(4);
        assertThat(settings.rules().useBasicIngest()).isFalse();
        assertThat(settings.processor().minTasks()).isEqualTo(3);
        assertThat(settings.lake().lifecycle().get(0).expirationDays()).contains(90);
    }

    @Test
    void anOverrideOfAnUnknownParameterNamesTheTemplatesParameters() {
        assertThatThrownBy(() -> TemplateSettingsReader.read(fixture(), Map.of("ShardCont", "4"), "us-east-1"))
                .isInstanceOf(CostInputException.class)
                .hasMessageContaining("--param ShardCont=4")
                .hasMessageContaining("has no parameter ShardCont")
                .hasMessageContaining("ShardCount");
    }

    @Test
    void aValueOutsideAllowedValuesIsReportedWithTheTemplateLine() {
        assertThatThrownBy(() -> TemplateSettingsReader.read(fixture(), Map.of("UseBasicIngest", "maybe"), "us-east-1"))
                .isInstanceOf(CostInputException.class)
                .hasMessageContaining("UseBasicIngest");
    }

    @Test
    void namesEveryMissingParameterAndResourceAtOnce(@TempDir Path directory) throws Exception {
        Path partial = directory.resolve("template.yaml");
        Files.writeString(partial, """
        Parameters:
          ShardCount:
            Type: Number
            Default: 0
        Resources:
          TelemetryStream:
            Type: AWS::Kinesis::Stream
            Properties:
              StreamModeDetails:
                StreamMode: ON_DEMAND
        """);

        assertThatThrownBy(() -> TemplateSettingsReader.read(partial, Map.of(), "us-east-1"))
                .isInstanceOf(CostInputException.class)
                .hasMessageContaining("lacks what the cost model reads")
                .hasMessageContaining("parameter AggregationResolutions")
                .hasMessageContaining("parameter UseBasicIngest")
                .hasMessageContaining("parameter DataRetentionDays")
                .hasMessageContaining("resource IngestFunction")
                .hasMessageContaining("AWS::S3::Bucket")
                .hasMessageContaining("AWS::IoT::TopicRule");
    }
}
