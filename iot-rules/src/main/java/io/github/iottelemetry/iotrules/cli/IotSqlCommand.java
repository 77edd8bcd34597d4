package io.github.iottelemetry.iotrules.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import io.github.iottelemetry.iotrules.IotSqlParseException;
import io.github.iottelemetry.iotrules.IotSqlStatement;
import io.github.iottelemetry.iotrules.MessageContext;
import io.github.iottelemetry.iotrules.eval.Json;
import io.github.iottelemetry.iotrules.functions.IotSqlFunction;
import io.github.iottelemetry.iotrules.functions.IotSqlFunctions;
import io.github.iottelemetry.iotrules.functions.NotEmulatedFunction;
import io.github.iottelemetry.iotrules.functions.crypto.EncodingFunctions;
import io.github.iottelemetry.iotrules.sql.CastType;
import io.github.iottelemetry.iotrules.topic.BasicIngestTopic;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The rule tester: {@code pipeline iot sql --sql "SELECT ..." --topic T --payload '{...}'} evaluates one
 * statement on one message exactly as the local rules engine would, and prints the output JSON (pretty),
 * nothing when WHERE is false (exit 0), or the parse error with its position (exit 2). {@code --functions} lists
 * the functions the engine implements and those it refuses, with why.
 */
@Command(
        name = "sql",
        mixinStandardHelpOptions = true,
        description = "Evaluate one IoT SQL statement (version 2016-03-23) on one message and print the rule's output.")
public final class IotSqlCommand implements Callable<Integer> {

    /** Exit code for a statement that does not parse (also picocli's code for bad options). */
    public static final int EXIT_PARSE_ERROR = 2;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--functions",
            description = "List the IoT SQL functions this engine implements, and those it does not, then exit.")
    boolean listFunctions;

    @Option(names = "--sql", description = "The rule's SQL statement (required unless --functions).")
    String sql;

    @Option(
            names = "--topic",
            description =
                    "Topic the message is published on (a Basic Ingest topic $aws/rules/<rule>/... is seen without its prefix).")
    String topic;

    @Option(
            names = "--payload",
            defaultValue = "{}",
            description = "Message payload (UTF-8, usually JSON). Default: ${DEFAULT-VALUE}")
    String payload;

    @Option(
            names = "--client-id",
            defaultValue = MessageContext.NO_CLIENT_ID,
            description = "Value of clientid(). Default: ${DEFAULT-VALUE}")
    String clientId;

    @Option(names = "--principal", description = "Value of principal() (Undefined when not given).")
    String principal;

    @Option(names = "--timestamp", description = "Value of timestamp() in epoch ms. Default: now.")
    Long timestampMillis;

    @Option(names = "--account-id", description = "Value of accountid() (Undefined when not given).")
    String accountId;

    @Option(names = "--trace-id", description = "Value of traceid() (Undefined when not given).")
    String traceId;

    /** The command tree of the launcher, so {@code java -jar iot-rules-all.jar iot sql ...} reads like {@code pipeline iot sql ...}. */
    @Command(
            name = "pipeline",
            subcommands = IotCommand.class,
            mixinStandardHelpOptions = true,
            description = "iot-telemetry-pipeline tools from the iot-rules module.")
    static final class PipelineCommand {}

    @Command(
            name = "iot",
            subcommands = IotSqlCommand.class,
            mixinStandardHelpOptions = true,
            description = "IoT Core tools.")
    static final class IotCommand {}

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return new CommandLine(new PipelineCommand());
    }

    @Override
    public Integer call() throws JsonProcessingException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (listFunctions) {
            printFunctions(out);
            return 0;
        }
        if (sql == null || topic == null) {
            err.println("iot sql: --sql and --topic are required (or --functions to list the functions)");
            err.flush();
            return EXIT_PARSE_ERROR;
        }
        IotSqlStatement statement;
        try {
            statement = IotSqlStatement.parse(sql);
        } catch (IotSqlParseException e) {
            err.println("iot sql: " + e.getMessage());
            err.println("  " + sql.lines().skip(e.line() - 1).findFirst().orElse(""));
            err.println("  " + " ".repeat(Math.max(0, e.column() - 1)) + "^");
            err.flush();
            return EXIT_PARSE_ERROR;
        }
        String seenTopic =
                BasicIngestTopic.parse(topic).map(BasicIngestTopic::topic).orElse(topic);
        if (seenTopic.equals(topic)
                && !statement.topicFilter().map(f -> statement.matches(topic)).orElse(true)) {
            err.println("iot sql: note: topic '" + topic + "' does not match the rule's FROM '"
                    + statement.topicFilter().orElseThrow()
                    + "'; on IoT Core this rule would not run for it. Evaluating anyway.");
        }
        MessageContext.Builder message = MessageContext.builder(seenTopic, payload.getBytes(StandardCharsets.UTF_8))
                .clientId(clientId)
                .principal(principal)
                .accountId(accountId)
                .traceId(traceId);
        if (timestampMillis != null) {
            message.timestampMillis(timestampMillis);
        }
        Optional<JsonNode> output = statement.evaluate(message.build());
        if (output.isPresent()) {
            JsonNode result = output.get();
            if (result instanceof BinaryNode binary) {
                out.println(new String(binary.binaryValue(), StandardCharsets.UTF_8));
            } else if (!result.isMissingNode()) {
                out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(result));
            }
        }
        out.flush();
        err.flush();
        return 0;
    }

    private static void printFunctions(PrintWriter out) {
        int width = 0;
        for (IotSqlFunction function : IotSqlFunctions.all()) {
            width = Math.max(width, function.signature().length());
        }
        out.println("IoT SQL functions (SQL version " + IotSqlFunctions.SQL_VERSION + "), "
                + IotSqlFunctions.all().size() + " implemented; names are case-insensitive:");
        for (IotSqlFunction function : IotSqlFunctions.all()) {
            out.println("  " + padded(function.signature(), width) + "  " + function.summary());
        }
        out.println("  " + padded("cast(value AS type)", width) + "  (syntax) the value converted to "
                + CastType.keywords());
        out.println();
        out.println("Not emulated (a rule that uses one fails to parse):");
        for (NotEmulatedFunction function : NotEmulatedFunction.all()) {
            out.println("  " + function.name() + "(): " + function.reason());
        }
        out.println("  " + EncodingFunctions.PROTOBUF_REFUSAL);
        out.flush();
    }

    private static String padded(String text, int width) {
        return text + " ".repeat(Math.max(0, width - text.length()));
    }
}
