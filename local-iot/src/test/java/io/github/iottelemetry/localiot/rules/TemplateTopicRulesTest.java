package io.github.iottelemetry.localiot.rules;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.iottelemetry.template.CfnTemplate;
import io.github.iottelemetry.template.PseudoParameters;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateTopicRulesTest {

    private static final TemplateTopicRules.ActionTargets NO_TARGETS =
            new TemplateTopicRules.ActionTargets(null, null, null, null, null);

    private static void load(String sql, String action) {
        String yaml = """
                Resources:
                  Rule:
                    Type: AWS::IoT::TopicRule
                    Properties:
                      RuleName: telemetry_to_kinesis
                      TopicRulePayload:
                        AwsIotSqlVersion: "2016-03-23"
                        Sql: "%s"
                        Actions:
                          - %s
                """.formatted(sql, action);
        TemplateTopicRules.load(
                CfnTemplate.load(yaml, "test.yaml").resolve(Map.of(), PseudoParameters.local("t")), NO_TARGETS);
    }

    @Test
    void sqlThatDoesNotParseFailsStartUpNamingTheRuleAndPosition() {
        assertThatThrownBy(() -> load("SELECT *, FROM 'dt/telemetry/+'", "Lambda: {FunctionArn: x}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("TopicRule Rule (rule telemetry_to_kinesis, test.yaml line")
                .hasMessageContaining("Sql does not parse at col 11");
    }

    @Test
    void anActionWithoutLocalEngineFailsStartUp() {
        assertThatThrownBy(() -> load("SELECT * FROM 'a/+'", "Lambda: {FunctionArn: x}"))
                .hasMessageContaining("Actions[0] Lambda: action type Lambda has no local engine");
    }

    @Test
    void aSubstitutionTemplateWithAnUnknownFunctionFailsStartUpNamingTheField() {
        assertThatThrownBy(
                        () -> load(
                                "SELECT * FROM 'a/+'",
                                "Kinesis: {StreamName: s, PartitionKey: \"${get_dynamodb('t', 'k', 'v', 'arn:aws:iam::1:role/r')}\"}"))
                .hasMessageContaining("Actions[0] Kinesis PartitionKey: substitution template does not parse at")
                .hasMessageContaining("get_dynamodb() is not emulated by the local rules engine");
    }
}
