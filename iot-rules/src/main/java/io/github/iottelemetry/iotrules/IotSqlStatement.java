package io.github.iottelemetry.iotrules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.github.iottelemetry.iotrules.eval.Evaluator;
import io.github.iottelemetry.iotrules.eval.Json;
import io.github.iottelemetry.iotrules.eval.SelectStarSplicer;
import io.github.iottelemetry.iotrules.sql.Expression;
import io.github.iottelemetry.iotrules.sql.IotSqlParser;
import io.github.iottelemetry.iotrules.sql.ParsedStatement;
import io.github.iottelemetry.iotrules.sql.SelectClause;
import io.github.iottelemetry.iotrules.topic.BasicIngestTopic;
import io.github.iottelemetry.iotrules.topic.TopicFilter;
import java.util.Optional;

/**
 * One TopicRule's SQL (version 2016-03-23), parsed once and evaluated for every message it receives.
 * Immutable and thread-safe. WHERE is evaluated first, and the SELECT only when it is true; a field missing
 * from the payload is Undefined and left out of the output object.
 */
public final class IotSqlStatement {

    private final String sql;
    private final ParsedStatement parsed;
    private final TopicFilter from;
    private final boolean readsPayload;
    private final SelectStarSplicer splicer;

    private IotSqlStatement(String sql, ParsedStatement parsed) {
        this.sql = sql;
        this.parsed = parsed;
        this.from = parsed.fromTopicFilter() == null ? null : TopicFilter.parse(parsed.fromTopicFilter());
        Expression where = parsed.where();
        this.readsPayload = (where != null && where.readsPayload()) || selectReadsPayload(parsed.select());
        this.splicer = where != null && where.readsPayload() ? null : SelectStarSplicer.forSelect(parsed.select());
    }

    /** @throws IotSqlParseException with the line and column of the error */
    public static IotSqlStatement parse(String sql) {
        return new IotSqlStatement(sql, IotSqlParser.parseStatement(sql));
    }

    public String sql() {
        return sql;
    }

    /** The FROM topic filter (with {@code +} and {@code #}); empty for a rule reachable only by Basic Ingest. */
    public Optional<String> topicFilter() {
        return from == null ? Optional.empty() : Optional.of(from.filter());
    }

    /** Whether a message published on this (non-Basic-Ingest) topic triggers the rule through its FROM filter. */
    public boolean matches(String topic) {
        return from != null && from.matches(topic);
    }

    /**
     * Routing for the broker: the topic the rule named {@code ruleName} sees for a message published on
     * {@code publishedTopic}, or empty when the rule does not receive it. A Basic Ingest topic
     * {@code $aws/rules/<ruleName>/<rest>} reaches only that rule, which sees {@code <rest>} whatever its FROM
     * says (FROM is optional for such rules); any other topic reaches the rule when FROM matches it.
     */
    public Optional<String> topicSeenByRule(String ruleName, String publishedTopic) {
        Optional<BasicIngestTopic> basicIngest = BasicIngestTopic.parse(publishedTopic);
        if (basicIngest.isPresent()) {
            return basicIngest.get().ruleName().equals(ruleName)
                    ? Optional.of(basicIngest.get().topic())
                    : Optional.empty();
        }
        return matches(publishedTopic) ? Optional.of(publishedTopic) : Optional.empty();
    }

    /**
     * The output for one message, empty when WHERE is false or Undefined. The output is usually an object; with
     * {@code SELECT VALUE} it is the value (a MissingNode when that is Undefined); {@code SELECT *} on a non-JSON
     * payload gives a BinaryNode of the raw bytes. The tree is the caller's to modify.
     */
    public Optional<JsonNode> evaluate(MessageContext message) {
        JsonNode row = readsPayload ? message.payloadJson() : MissingNode.getInstance();
        if (parsed.where() != null && !Evaluator.isTrue(Evaluator.evaluate(parsed.where(), row, message))) {
            return Optional.empty();
        }
        JsonNode output = Evaluator.select(parsed.select(), row, message);
        return Optional.of(output == null ? MissingNode.getInstance() : output);
    }

    /**
     * The output as the bytes an action sends (UTF-8 JSON; raw bytes for a binary payload under {@code SELECT *};
     * empty for an Undefined VALUE), empty when WHERE is false or Undefined. For {@code SELECT *} plus fields
     * that do not read the payload, the fields are spliced into the payload's bytes without building a tree.
     */
    public Optional<byte[]> evaluateToBytes(MessageContext message) {
        if (splicer != null) {
            if (parsed.where() != null
                    && !Evaluator.isTrue(Evaluator.evaluate(parsed.where(), MissingNode.getInstance(), message))) {
                return Optional.empty();
            }
            byte[] spliced = splicer.splice(message);
            if (spliced != null) {
                return Optional.of(spliced);
            }
        }
        return evaluate(message).map(IotSqlStatement::toBytes);
    }

    /** Whether {@link #evaluateToBytes} can take the splicing fast path for this statement. */
    public boolean splicesSelectStar() {
        return splicer != null;
    }

    /** The bytes of an output from {@link #evaluate}: raw bytes for a binary output, nothing for Undefined, else JSON. */
    public static byte[] toBytes(JsonNode output) {
        if (output instanceof BinaryNode binary) {
            return binary.binaryValue();
        }
        return output.isMissingNode() ? new byte[0] : Json.writeBytes(output);
    }

    private static boolean selectReadsPayload(SelectClause select) {
        for (SelectClause.SelectItem item : select.items()) {
            if (!(item instanceof SelectClause.Projection projection)
                    || projection.expression().readsPayload()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return sql;
    }
}
