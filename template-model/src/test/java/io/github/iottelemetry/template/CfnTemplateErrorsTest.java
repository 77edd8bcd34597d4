package io.github.iottelemetry.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every load error names the file, the line and the template element, and says what is wrong. */
class CfnTemplateErrorsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
      syntax-error.yaml          | 6 |                         | YAML syntax error
      unknown-ref.yaml           | 7 | resource Policy         | Ref target 'Bukket' is not a parameter, pseudo parameter or resource
      bad-intrinsic.yaml         | 5 | resource Table          | bad intrinsic: Fn::Join takes a list of 2 arguments, got '-'
      bad-getatt.yaml            | 5 |                         | bad intrinsic: !GetAtt expects LogicalId.Attribute, got 'StreamArn'
      unknown-getatt-target.yaml | 6 | output StreamArn        | Fn::GetAtt target 'Streem' is not a resource of this template (defined: Stream)
      unknown-sub-variable.yaml  | 5 | resource Stream         | Fn::Sub variable ${Stage} is not a parameter
      unknown-condition.yaml     | 6 | resource Stream         | condition 'IsProduction' is not defined in Conditions (defined: IsProd)
      unknown-tag.yaml           | 5 |                         | unknown tag !Reference
      duplicate-key.yaml         | 4 |                         | duplicate key 'Stream' (first defined on line 2)
      unknown-function.yaml      | 6 | resource Stream         | bad intrinsic: unknown function Fn::Concat
      """)
    void namesFileLineAndElement(String fixture, int line, String element, String problem) {
        Path path = Fixtures.template(fixture);

        TemplateException error = catchThrowableOfType(TemplateException.class, () -> CfnTemplate.load(path));

        assertThat(error).as("loading %s", fixture).isNotNull();
        assertThat(error.getMessage()).startsWith(path + ":" + line).contains(problem);
        assertThat(error.line()).isEqualTo(line);
        assertThat(error.sourceName()).isEqualTo(path.toString());
        if (element == null) {
            assertThat(error.element()).isEmpty();
        } else {
            assertThat(error.element()).contains(element);
            assertThat(error.getMessage()).contains(":" + line + " " + element + ": ");
        }
    }

    @Test
    void rejectsATemplateWithoutResources() {
        assertThatThrownBy(() -> CfnTemplate.load("Description: nothing here\n", "empty.yaml"))
                .isInstanceOf(TemplateException.class)
                .hasMessage("empty.yaml: the template has no Resources; CloudFormation needs at least one");
    }

    @Test
    void rejectsADocumentThatIsNotAMapping() {
        assertThatThrownBy(() -> CfnTemplate.load("- just\n- a list\n", "list.yaml"))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("list.yaml:1: a template must be a YAML mapping");
    }

    @Test
    void rejectsAResourceWithoutType() {
        assertThatThrownBy(() -> CfnTemplate.load("Resources:\n  Stream:\n    Properties: {}\n", "untyped.yaml"))
                .isInstanceOf(TemplateException.class)
                .hasMessage("untyped.yaml:3 resource Stream: has no Type");
    }

    @Test
    void rejectsRefWithAListArgument() {
        assertThatThrownBy(() -> CfnTemplate.load(
                        "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n"
                                + "    Properties:\n      TopicName: !Ref [a, b]\n",
                        "ref-list.yaml"))
                .isInstanceOf(TemplateException.class)
                .hasMessage("ref-list.yaml:5: bad intrinsic: !Ref takes a name, not a sequence");
    }

    @Test
    void reportsAMissingFileByName() {
        Path missing = Path.of("no-such-template.yaml");

        assertThatThrownBy(() -> CfnTemplate.load(missing))
                .isInstanceOf(TemplateException.class)
                .hasMessageStartingWith("no-such-template.yaml: cannot read the template");
    }
}
