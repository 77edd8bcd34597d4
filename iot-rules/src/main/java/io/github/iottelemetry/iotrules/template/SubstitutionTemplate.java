package io.github.iottelemetry.iotrules.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.github.iottelemetry.iotrules.IotSqlParseException;
import io.github.iottelemetry.iotrules.MessageContext;
import io.github.iottelemetry.iotrules.eval.Evaluator;
import io.github.iottelemetry.iotrules.eval.Values;
import io.github.iottelemetry.iotrules.sql.Expression;
import io.github.iottelemetry.iotrules.sql.IotSqlParser;
import java.util.ArrayList;
import java.util.List;

/**
 * An action field with {@code ${expression}} substitutions, such as a Kinesis PartitionKey {@code ${topic(3)}}
 * or an S3 key {@code ${topic()}/${timestamp()}.json}. Per the iot-substitution-templates page, each
 * expression is evaluated against the incoming message (payload fields, functions, operators), never against
 * the SELECT's aliases. A value renders as its string conversion (strings without quotes, objects and arrays as
 * JSON); Undefined, and Null, whose string conversion is Undefined, render as the empty string. Immutable and
 * thread-safe.
 */
public final class SubstitutionTemplate {

    private final String template;
    private final List<Object> parts;
    private final boolean readsPayload;

    private SubstitutionTemplate(String template, List<Object> parts) {
        this.template = template;
        this.parts = parts;
        this.readsPayload = parts.stream().anyMatch(p -> p instanceof Expression e && e.readsPayload());
    }

    /** @throws IotSqlParseException at the position (in the template) of a malformed or unclosed expression */
    public static SubstitutionTemplate parse(String template) {
        List<Object> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int position = 0;
        while (position < template.length()) {
            int start = template.indexOf("${", position);
            if (start < 0) {
                literal.append(template, position, template.length());
                break;
            }
            literal.append(template, position, start);
            if (literal.length() > 0) {
                parts.add(literal.toString());
                literal.setLength(0);
            }
            IotSqlParser.EmbeddedExpression embedded = IotSqlParser.parseEmbeddedExpression(template, start + 2);
            parts.add(embedded.expression());
            position = embedded.endOffset();
        }
        if (literal.length() > 0) {
            parts.add(literal.toString());
        }
        return new SubstitutionTemplate(template, List.copyOf(parts));
    }

    public String template() {
        return template;
    }

    /** True when the template has no substitution at all. */
    public boolean isConstant() {
        return parts.stream().noneMatch(Expression.class::isInstance);
    }

    public String render(MessageContext message) {
        JsonNode row = readsPayload ? message.payloadJson() : MissingNode.getInstance();
        if (parts.size() == 1) {
            return renderPart(parts.get(0), row, message);
        }
        StringBuilder rendered = new StringBuilder(template.length() + 32);
        for (Object part : parts) {
            rendered.append(renderPart(part, row, message));
        }
        return rendered.toString();
    }

    private static String renderPart(Object part, JsonNode row, MessageContext message) {
        if (part instanceof String literal) {
            return literal;
        }
        String text = Values.toText(Evaluator.evaluate((Expression) part, row, message));
        return text == null ? "" : text;
    }

    @Override
    public String toString() {
        return template;
    }
}
