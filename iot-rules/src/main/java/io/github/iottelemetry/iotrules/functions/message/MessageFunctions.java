package io.github.iottelemetry.iotrules.functions.message;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.github.iottelemetry.iotrules.eval.Values;
import io.github.iottelemetry.iotrules.functions.FunctionTable;
import io.github.iottelemetry.iotrules.functions.IotSqlFunctions;

/** Functions that read the message's metadata rather than its payload: topic, client, principal, time, ids. */
public final class MessageFunctions {

    private MessageFunctions() {}

    public static void addTo(FunctionTable table) {
        table.add(
                "topic(Decimal)",
                "the topic, or its n-th level (1-based); without the Basic Ingest prefix",
                0,
                1,
                (args, message) ->
                        args.length == 0 ? TextNode.valueOf(message.topic()) : topicLevel(message.topic(), args[0]));
        table.add(
                "clientid()",
                "the MQTT client id, or \"n/a\" when the message did not come over MQTT",
                0,
                0,
                (args, message) -> TextNode.valueOf(message.clientId()));
        table.add(
                "principal()",
                "the certificate thumbprint or IAM id that published the message",
                0,
                0,
                (args, message) -> Values.text(message.principal()));
        table.add(
                "accountid()",
                "the id of the account that owns the rule (Undefined when the local cloud was not told)",
                0,
                0,
                (args, message) -> Values.text(message.accountId()));
        table.add(
                "traceid()",
                "the MQTT message's trace id (Undefined when not sent over MQTT or unknown)",
                0,
                0,
                (args, message) -> Values.text(message.traceId()));
        table.add(
                "timestamp()",
                "epoch milliseconds at which the rules engine received the message",
                0,
                0,
                (args, message) -> Values.integer(message.timestampMillis()));
        table.add(
                "newuuid()",
                "a random 16-byte UUID string",
                0,
                0,
                (args, message) -> TextNode.valueOf(message.newUuid()));
        table.add(
                "sql_version()",
                "\"" + IotSqlFunctions.SQL_VERSION + "\"",
                0,
                0,
                (args, message) -> TextNode.valueOf(IotSqlFunctions.SQL_VERSION));
    }

    /** topic(n): the n-th level, 1-based, found by scanning so the benchmark's topic(3) costs one substring. */
    private static JsonNode topicLevel(String topic, JsonNode levelArgument) {
        Integer level = Values.toIndex(levelArgument);
        if (level == null || level < 1) {
            return null;
        }
        int start = 0;
        for (int current = 1; current < level; current++) {
            int slash = topic.indexOf('/', start);
            if (slash < 0) {
                return null;
            }
            start = slash + 1;
        }
        int end = topic.indexOf('/', start);
        return TextNode.valueOf(topic.substring(start, end < 0 ? topic.length() : end));
    }
}
