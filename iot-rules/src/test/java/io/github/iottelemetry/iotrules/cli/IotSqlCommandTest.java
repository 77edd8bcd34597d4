package io.github.iottelemetry.iotrules.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class IotSqlCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine commandLine = IotSqlCommand.commandLine();
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        return commandLine.execute(args);
    }

    @Test
    void printsThePipelineRuleOutputPretty() {
        int exit = run("iot", "sql", "--sql", "SELECT *, topic(3) AS thing, timestamp() AS ingestTs FROM 'dt/telemetry/+'",
                "--topic", "dt/telemetry/sim-000001", "--payload", "{\"seq\":1}", "--timestamp", "1763884801250");
        assertThat(exit).isZero();
        assertThat(out.toString()).isEqualToNormalizingNewlines("""
                {
                  "seq" : 1,
                  "thing" : "sim-000001",
                  "ingestTs" : 1763884801250
                }
                """);
    }

    @Test
    void printsNothingWhenWhereIsFalse() {
        int exit = run("iot", "sql", "--sql", "SELECT color FROM 'a/b' WHERE temperature > 50",
                "--topic", "a/b", "--payload", "{\"color\":\"red\",\"temperature\":40}");
        assertThat(exit).isZero();
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void reportsParseErrorsWithPositionAndExitCode2() {
        int exit = run("iot", "sql", "--sql", "SELECT color FROM 'a/b' WHER x > 1", "--topic", "a/b");
        assertThat(exit).isEqualTo(IotSqlCommand.EXIT_PARSE_ERROR);
        assertThat(err.toString()).contains("col 25: expected WHERE or end of statement, found 'WHER'")
                .contains(System.lineSeparator() + " ".repeat(2 + 24) + "^");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void passesClientIdPrincipalAndBasicIngestTopic() {
        int exit = run("iot", "sql", "--sql", "SELECT VALUE concat(clientid(), ' ', principal(), ' ', topic()) FROM 'dt/#'",
                "--topic", "$aws/rules/r/dt/x", "--client-id", "c1", "--principal", "abc123");
        assertThat(exit).isZero();
        assertThat(out.toString()).isEqualTo("\"c1 abc123 dt/x\"" + System.lineSeparator());
    }

    @Test
    void warnsWhenTheTopicDoesNotMatchFrom() {
        assertThat(run("iot", "sql", "--sql", "SELECT * FROM 'a/+'", "--topic", "b/c")).isZero();
        assertThat(err.toString()).contains("does not match the rule's FROM 'a/+'");
    }
}
