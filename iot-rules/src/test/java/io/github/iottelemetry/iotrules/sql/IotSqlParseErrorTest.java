package io.github.iottelemetry.iotrules.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.iottelemetry.iotrules.IotSqlParseException;
import io.github.iottelemetry.iotrules.IotSqlStatement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IotSqlParseErrorTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            SELECT color 'topic/subtopic'                     | col 14: expected FROM, WHERE or end of statement, found string 'topic/subtopic'
            SELECT color FROM topic/subtopic                  | col 19: expected a quoted topic filter after FROM, e.g. FROM 'dt/telemetry/+', found 'topic'
            SELEC * FROM 'a/b'                                | col 1: expected SELECT, found 'SELEC'
            SELECT * FROM 'a/b' WHERE                         | col 26: expected an expression, found end of input
            SELECT * FROM 'a/#/b'                             | col 15: topic filter 'a/#/b': '#' must be a whole level and the last one (level 2 is '#')
            SELECT * FROM 'a/b+'                              | col 15: topic filter 'a/b+': '+' must be a whole level (level 2 is 'b+')
            SELECT md4(x) FROM 'a/b'                          | col 8: unknown function 'md4' (`pipeline iot sql --functions` lists the functions this engine implements)
            SELECT aws_lambda('arn', *) FROM 'a/b'            | col 8: aws_lambda() is not emulated by the local rules engine: it calls an AWS Lambda function
            SELECT * FROM 'a/b' WHERE get_dynamodb('t', 'k', id, 'r').x = 1 | col 27: get_dynamodb() is not emulated by the local rules engine: it reads an Amazon DynamoDB table
            SELECT Get_Secret('s', 'SecretString', 'k', 'r') AS s FROM 'a/b' | col 8: get_secret() is not emulated by the local rules engine: it reads AWS Secrets Manager
            SELECT get_thing_shadow('t', 'r') AS s FROM 'a/b' | col 8: get_thing_shadow() is not emulated by the local rules engine: it reads the AWS IoT Device Shadow service
            SELECT get_registry_data('describeThing', 't', 'r') AS d FROM 'a/b' | col 8: get_registry_data() is not emulated by the local rules engine: it reads the AWS IoT thing registry
            SELECT machinelearning_predict('m', 'r', *) AS p FROM 'a/b' | col 8: machinelearning_predict() is not emulated by the local rules engine: it calls Amazon Machine Learning
            SELECT sourceip() AS ip FROM 'a/b'                | col 8: sourceip() is not emulated by the local rules engine: it reads the client's IP address
            SELECT get_mqtt_property('content_type') AS c FROM 'a/b' | col 8: get_mqtt_property() is not emulated by the local rules engine: it reads MQTT 5 properties
            SELECT get_or_default(a, 1) AS c FROM 'a/b'       | col 8: get_or_default() is not emulated by the local rules engine: its argument and result rules
            SELECT decode(a, 'proto', 'b', 'k', 'f', 'M') AS d FROM 'a/b' | col 8: decode(value, 'proto', ...) is not emulated by the local rules engine: it reads a Protobuf descriptor file from Amazon S3
            SELECT encode(a, 'hex') AS d FROM 'a/b'           | col 8: encode() supports the scheme 'base64' (and decode() also 'proto'), not 'hex'
            SELECT encode(a, b) AS d FROM 'a/b'               | col 8: encode() takes its scheme as a literal string, e.g. encode(value, 'base64')
            SELECT decode(a, 'base64', 'x') AS d FROM 'a/b'   | col 8: decode(value, 'base64') takes 2 arguments, got 3
            SELECT encode(a) AS d FROM 'a/b'                  | col 8: encode() takes 2 argument(s), got 1
            SELECT topic(1, 2) FROM 'a/b'                     | col 8: topic() takes 0 to 1 argument(s), got 2
            SELECT cast(a AS Float) FROM 'a/b'                | col 18: unknown cast type 'Float'
            SELECT (a + 1 FROM 'a/b'                          | col 15: expected ')', found 'FROM'
            SELECT a, a FROM 'a/b'                            | col 11: duplicate output name 'a' in SELECT
            SELECT 'abc FROM 'a/b'                            | col 19: expected FROM, WHERE or end of statement, found 'a'
            SELECT "abc FROM 'a/b                             | col 8: unterminated string: missing closing \"
            SELECT CASE a WHEN 1 THEN 2 FROM 'a/b'            | col 29: expected END, found 'FROM'
            SELECT a FROM 'a/b' WHERE a = 1 AND               | col 36: expected an expression, found end of input
            SELECT a AS FROM FROM 'a/b'                       | col 13: expected an alias name after AS, found 'FROM'
            SELECT a.1 FROM 'a/b'                             | col 10: expected a field name after '.', found '1' (for names with hyphens or digits use get(object, 'name'))
            SELECT 12abc FROM 'a/b'                           | col 10: unexpected character 'a' after number 12
            SELECT a ! b FROM 'a/b'                           | col 10: unexpected character '!'
            SELECT VALUE a, b FROM 'a/b'                      | col 15: SELECT VALUE takes exactly one expression
            """)
    void reportsWhatAndWhere(String sql, String expectedMessage) {
        assertThatThrownBy(() -> IotSqlStatement.parse(sql))
                .isInstanceOf(IotSqlParseException.class)
                .hasMessageStartingWith(expectedMessage.replace("\\\"", "\""));
    }

    @Test
    void positionOnLaterLineCountsLinesAndColumns() {
        IotSqlParseException error = (IotSqlParseException) org.assertj.core.api.Assertions.catchThrowable(
                () -> IotSqlStatement.parse("SELECT *\nFROM 'a/b'\nWHERE temperature >> 5"));
        assertThat(error.line()).isEqualTo(3);
        assertThat(error.column()).isEqualTo(20);
        assertThat(error).hasMessage("line 3, col 20: expected an expression, found '>'");
        assertThat(error.reason()).isEqualTo("expected an expression, found '>'");
    }

    @Test
    void valueIsAFieldNameUnlessFollowedByAnExpression() {
        assertThat(IotSqlParser.parseStatement("SELECT value FROM 'a/b'")
                        .select()
                        .value())
                .isFalse();
        assertThat(IotSqlParser.parseStatement("SELECT value, x FROM 'a/b'")
                        .select()
                        .value())
                .isFalse();
        assertThat(IotSqlParser.parseStatement("SELECT VALUE x FROM 'a/b'")
                        .select()
                        .value())
                .isTrue();
        assertThat(IotSqlParser.parseStatement("SELECT VALUE [a, b] FROM 'a/b'")
                        .select()
                        .value())
                .isTrue();
    }

    @Test
    void fromIsOptionalForBasicIngestOnlyRules() {
        IotSqlStatement statement = IotSqlStatement.parse("SELECT * WHERE temperature > 50");
        assertThat(statement.topicFilter()).isEmpty();
        assertThat(statement.matches("any/topic")).isFalse();
        assertThat(statement.topicSeenByRule("r", "$aws/rules/r/any/topic")).contains("any/topic");
    }
}
