package io.github.iottelemetry.cost.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.iottelemetry.cost.CostInputException;
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
      return Path.of(TemplateSettingsReaderTest.class.getResource("/templates/pipeline.yaml").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void readsTheSettingsThatDecideTheBill() {
    PipelineSettings settings = TemplateSettingsReader.read(fixture(), Map.of(), "us-east-1");

    assertThat(settings.kinesisOnDemand()).isTrue();
    assertThat(settings.useBasicIngest()).isTrue();
    assertThat(settings.rulesPerMessage()).isEqualTo(1);
    assertThat(settings.ruleActionsPerMessage()).isEqualTo(1);
    assertThat(settings.lambdaMemoryMb()).isEqualTo(512);
    assertThat(settings.lambdaArchitecture()).isEqualTo("arm64");
    assertThat(settings.batchSize()).isEqualTo(500);
    assertThat(settings.maxBatchingWindowSeconds()).isEqualTo(1);
    assertThat(settings.resolutions()).extracting(Object::toString).containsExactly("1m", "1h");
    assertThat(settings.processorTasks()).isEqualTo(2);
    assertThat(settings.processorVcpu()).isEqualTo(1.0);
    assertThat(settings.processorMemoryGb()).isEqualTo(2.0);
    assertThat(settings.processorArchitecture()).isEqualTo("ARM64");
    assertThat(settings.dataRetentionDays()).isEqualTo(30);
    assertThat(settings.alarms()).isEqualTo(2);
    assertThat(settings.dashboards()).isEqualTo(1);
    assertThat(settings.logRetentionDays()).contains(14);
    assertThat(settings.lakeLifecycle()).hasSize(2);
    assertThat(settings.lakeLifecycle().get(0).prefix()).contains("raw/");
    assertThat(settings.lakeLifecycle().get(0).transitions()).containsExactly(new LifecycleRule.Transition(30, "STANDARD_IA"));
    assertThat(settings.lakeLifecycle().get(0).expirationDays()).isEqualTo(Optional.of(30));
  }

  @Test
  void appliesParameterOverridesThroughTheTemplate() {
    PipelineSettings settings = TemplateSettingsReader.read(fixture(),
        Map.of("ShardCount", "4", "UseBasicIngest", "false", "StreamProcessorDesiredCount", "3", "DataRetentionDays", "90"),
        "us-east-1");

    assertThat(settings.kinesisOnDemand()).isFalse();
    assertThat(settings.provisionedShards()).isEqualTo(4);
    assertThat(settings.useBasicIngest()).isFalse();
    assertThat(settings.processorTasks()).isEqualTo(3);
    assertThat(settings.lakeLifecycle().get(0).expirationDays()).contains(90);
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
        .hasMessageContaining("AWS::ECS::TaskDefinition")
        .hasMessageContaining("AWS::IoT::TopicRule");
  }

  @Test
  void matchesMqttTopicFilters() {
    assertThat(TemplateSettingsReader.topicFilterMatches("dt/telemetry/+", "dt/telemetry/sim-000042")).isTrue();
    assertThat(TemplateSettingsReader.topicFilterMatches("dt/#", "dt/telemetry/sim-000042")).isTrue();
    assertThat(TemplateSettingsReader.topicFilterMatches("dt/telemetry", "dt/telemetry/sim-000042")).isFalse();
    assertThat(TemplateSettingsReader.topicFilterMatches("cmd/+/sim", "dt/telemetry/sim-000042")).isFalse();
  }
}
