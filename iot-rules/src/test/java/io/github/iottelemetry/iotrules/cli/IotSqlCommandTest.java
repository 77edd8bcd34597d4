package io.github.iottelemetry.iotrules.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.iottelemetry.iotrules.functions.IotSqlFunction;
import io.github.iottelemetry.iotrules.functions.IotSqlFunctions;
import io.github.iottelemetry.iotrules.functions.NotEmulatedFunction;
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
        int exit = run(
                "iot",
                "sql",
                "--sql",
                "SELECT *, topic(3) AS thing, timestamp() AS ingestTs FROM 'dt/telemetry/+'",
                "--topic",
                "dt/telemetry/sim-000001",
                "--payload",
                "{\"seq\":1}",
                "--timestamp",
                "1763884801250");
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
        int exit = run(
                "iot",
                "sql",
                "--sql",
                "SELECT color FROM 'a/b' WHERE temperature > 50",
                "--topic",
                "a/b",
                "--payload",
                "{\"color\":\"red\",\"temperature\":40}");
        assertThat(exit).isZero();
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void reportsParseErrorsWithPositionAndExitCode2() {
        int exit = run("iot", "sql", "--sql", "SELECT color FROM 'a/b' WHER x > 1", "--topic", "a/b");
        assertThat(exit).isEqualTo(IotSqlCommand.EXIT_PARSE_ERROR);
        assertThat(err.toString())
                .contains("col 25: expected WHERE or end of statement, found 'WHER'")
                .contains(System.lineSeparator() + " ".repeat(2 + 24) + "^");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void passesClientIdPrincipalAndBasicIngestTopic() {
        int exit = run(
                "iot",
                "sql",
                "--sql",
                "SELECT VALUE concat(clientid(), ' ', principal(), ' ', topic()) FROM 'dt/#'",
                "--topic",
                "$aws/rules/r/dt/x",
                "--client-id",
                "c1",
                "--principal",
                "abc123");
        assertThat(exit).isZero();
        assertThat(out.toString()).isEqualTo("\"c1 abc123 dt/x\"" + System.lineSeparator());
    }

    @Test
    void warnsWhenTheTopicDoesNotMatchFrom() {
        assertThat(run("iot", "sql", "--sql", "SELECT * FROM 'a/+'", "--topic", "b/c"))
                .isZero();
        assertThat(err.toString()).contains("does not match the rule's FROM 'a/+'");
    }

    @Test
    void listsEveryImplementedFunctionWithItsSignatureAndTheRefusedOnesWithWhy() {
        int exit = run("iot", "sql", "--functions");
        assertThat(exit).isZero();
        String listing = out.toString();
        assertThat(listing).contains(IotSqlFunctions.all().size() + " implemented");
        for (IotSqlFunction function : IotSqlFunctions.all()) {
            assertThat(listing).contains("  " + function.signature() + " ").contains(function.summary());
        }
        assertThat(listing)
                .contains("  time_to_epoch(String, String) ")
                .contains("  regexp_replace(String, String, String) ")
                .contains("  aws_lambda(): it calls an AWS Lambda function")
                .contains("decode(value, 'proto', ...) is not emulated");
        for (NotEmulatedFunction refused : NotEmulatedFunction.all()) {
            assertThat(IotSqlFunctions.find(refused.name())).as(refused.name()).isEmpty();
            assertThat(listing).contains("  " + refused.name() + "(): " + refused.reason());
        }
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void withoutFunctionsTheStatementAndTopicAreRequired() {
        assertThat(run("iot", "sql", "--topic", "a/b")).isEqualTo(IotSqlCommand.EXIT_PARSE_ERROR);
        assertThat(err.toString()).contains("--sql and --topic are required (or --functions to list the functions)");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void passesAccountIdAndTraceId() {
        int exit = run(
                "iot",
                "sql",
                "--sql",
                "SELECT accountid() AS a, traceid() AS t FROM 'a/b'",
                "--topic",
                "a/b",
                "--account-id",
                "123456789012",
                "--trace-id",
                "12345678-1234-1234-1234-123456789012");
        assertThat(exit).isZero();
        assertThat(out.toString())
                .contains("\"a\" : \"123456789012\"")
                .contains("\"t\" : \"12345678-1234-1234-1234-123456789012\"");
    }
}
