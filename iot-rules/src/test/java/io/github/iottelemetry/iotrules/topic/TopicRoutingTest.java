package io.github.iottelemetry.iotrules.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.iottelemetry.iotrules.IotSqlStatement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TopicRoutingTest {

    @ParameterizedTest(name = "{0} ~ {1} -> {2}")
    @CsvSource(textBlock = """
            dt/telemetry/+, dt/telemetry/sim-000001, true
            dt/telemetry/+, dt/telemetry/sim-000001/extra, false
            dt/telemetry/+, dt/telemetry, false
            dt/telemetry/+, dt/telemetry/, true
            dt/telemetry/+, dt/other/sim-000001, false
            dt/#, dt, true
            dt/#, dt/telemetry/a/b, true
            dt/#, dtx/telemetry, false
            #, any/thing, true
            #, $aws/rules/r/x, false
            +/telemetry/+, $aws/telemetry/x, false
            $aws/rules/+/x, $aws/rules/r/x, true
            +/+, a/b, true
            +/+, a, false
            a/+/c, a//c, true
            a/b, a/b, true
            a/b, A/b, false
            """)
    void matchesLikeMqtt(String filter, String topic, boolean expected) {
        assertThat(TopicFilter.parse(filter).matches(topic)).isEqualTo(expected);
    }

    @Test
    void rejectsMalformedFilters() {
        assertThatThrownBy(() -> TopicFilter.parse("a/#/b"))
                .hasMessageContaining("'#' must be a whole level and the last one");
        assertThatThrownBy(() -> TopicFilter.parse("a#")).hasMessageContaining("'#' must be a whole level");
        assertThatThrownBy(() -> TopicFilter.parse("a/+b")).hasMessageContaining("'+' must be a whole level");
        assertThatThrownBy(() -> TopicFilter.parse("")).hasMessageContaining("empty");
    }

    @Test
    void basicIngestReachesOnlyTheNamedRuleWhichSeesTheTopicWithoutThePrefix() {
        IotSqlStatement rule = IotSqlStatement.parse("SELECT *, topic(3) AS thing FROM 'dt/telemetry/+'");
        String published = "$aws/rules/telemetry_to_kinesis/dt/telemetry/sim-000042";
        assertThat(rule.topicSeenByRule("telemetry_to_kinesis", published)).contains("dt/telemetry/sim-000042");
        assertThat(rule.topicSeenByRule("another_rule", published)).isEmpty();
        assertThat(rule.matches(published))
                .as("a rule's FROM never subscribes to Basic Ingest topics")
                .isFalse();
        assertThat(rule.topicSeenByRule("telemetry_to_kinesis", "dt/telemetry/sim-000042"))
                .contains("dt/telemetry/sim-000042");
        assertThat(rule.topicSeenByRule("telemetry_to_kinesis", "dt/other/sim-000042"))
                .isEmpty();
    }

    @Test
    void parsesBasicIngestTopics() {
        assertThat(BasicIngestTopic.parse("$aws/rules/r/a/b")).contains(new BasicIngestTopic("r", "a/b"));
        assertThat(BasicIngestTopic.parse("$aws/rules/r")).isEmpty();
        assertThat(BasicIngestTopic.parse("$aws/rules/r/")).isEmpty();
        assertThat(BasicIngestTopic.parse("$aws/rules//a")).isEmpty();
        assertThat(BasicIngestTopic.parse("dt/telemetry/x")).isEmpty();
        assertThat(BasicIngestTopic.parse("$aws/things/x/shadow/update")).isEmpty();
    }
}
