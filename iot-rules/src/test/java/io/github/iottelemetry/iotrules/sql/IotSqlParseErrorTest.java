package io.github.iottelemetry.iotrules.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.iottelemetry.iotrules.IotSqlParseException;
import io.github.iottelemetry.iotrules.IotSqlStatement;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class IotSqlParseErrorTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            SELECT color 'topic/subtopic'                     | col 14: expected FROM, WHERE or end of statement, found string 'topic/subtopic'
            SELECT color FROM topic/subtopic                  | col 19: expected a quoted topic filter after FROM, e.g. FROM 'dt/telemetry/+', found 'topic'
            SELEC * FROM 'a/b'                                | col 1: expected SELECT, found 'SELEC'
            SELECT * FROM 'a/b' WHERE                         | col 26: expected an expression, found end of input
            SELECT * FROM 'a/#/b'                             | col 15: topic filter 'a/#/b': '#' must be a whole level and the last one (level 2 is '#')
            SELECT * FROM 'a/b+'                              | col 15: topic filter 'a/b+': '+' must be a whole level (level 2 is 'b+')
            SELECT md5(x) FROM 'a/b'                          | col 8: unknown function 'md5'
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
        assertThat(IotSqlParser.parseStatement("SELECT value FROM 'a/b'").select().value()).isFalse();
        assertThat(IotSqlParser.parseStatement("SELECT value, x FROM 'a/b'").select().value()).isFalse();
        assertThat(IotSqlParser.parseStatement("SELECT VALUE x FROM 'a/b'").select().value()).isTrue();
        assertThat(IotSqlParser.parseStatement("SELECT VALUE [a, b] FROM 'a/b'").select().value()).isTrue();
    }

    @Test
    void fromIsOptionalForBasicIngestOnlyRules() {
        IotSqlStatement statement = IotSqlStatement.parse("SELECT * WHERE temperature > 50");
        assertThat(statement.topicFilter()).isEmpty();
        assertThat(statement.matches("any/topic")).isFalse();
        assertThat(statement.topicSeenByRule("r", "$aws/rules/r/any/topic")).contains("any/topic");
    }
}
