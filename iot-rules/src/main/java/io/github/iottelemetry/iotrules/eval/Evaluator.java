package io.github.iottelemetry.iotrules.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.iottelemetry.iotrules.MessageContext;
import io.github.iottelemetry.iotrules.sql.Expression;
import io.github.iottelemetry.iotrules.sql.SelectClause;
import java.util.List;

/**
 * Evaluates expressions and SELECT lists against a row (the payload, or an element during a nested SELECT).
 * Results are Jackson nodes, null meaning Undefined; containers taken from the row are copied, so outputs
 * never alias the message's cached payload tree, which other rules read too.
 */
public final class Evaluator {

    private static final JsonNode[] NO_ARGUMENTS = new JsonNode[0];

    private Evaluator() {}

    public static JsonNode evaluate(Expression expression, JsonNode row, MessageContext message) {
        if (expression instanceof Expression.FieldReference field) {
            return row.isObject() ? row.get(field.name()) : null;
        }
        if (expression instanceof Expression.Literal literal) {
            return literal.value();
        }
        if (expression instanceof Expression.FunctionCall call) {
            List<Expression> argumentExpressions = call.arguments();
            JsonNode[] arguments =
                    argumentExpressions.isEmpty() ? NO_ARGUMENTS : new JsonNode[argumentExpressions.size()];
            for (int i = 0; i < arguments.length; i++) {
                arguments[i] = evaluate(argumentExpressions.get(i), row, message);
            }
            return call.function().apply(arguments, message);
        }
        if (expression instanceof Expression.MemberAccess member) {
            JsonNode target = evaluate(member.target(), row, message);
            return target != null && target.isObject() ? target.get(member.name()) : null;
        }
        if (expression instanceof Expression.Binary binary) {
            return Operators.apply(
                    binary.operator(), evaluate(binary.left(), row, message), evaluate(binary.right(), row, message));
        }
        if (expression instanceof Expression.IndexAccess index) {
            return Values.get(evaluate(index.target(), row, message), evaluate(index.index(), row, message));
        }
        if (expression instanceof Expression.Not not) {
            return Operators.not(evaluate(not.operand(), row, message));
        }
        if (expression instanceof Expression.Negate negate) {
            return Operators.negate(evaluate(negate.operand(), row, message));
        }
        if (expression instanceof Expression.Cast cast) {
            return Values.cast(evaluate(cast.value(), row, message), cast.type());
        }
        if (expression instanceof Expression.Case caseExpression) {
            return evaluateCase(caseExpression, row, message);
        }
        if (expression instanceof Expression.ArrayLiteral array) {
            ArrayNode result = Json.NODES.arrayNode(array.elements().size());
            for (Expression element : array.elements()) {
                JsonNode value = evaluate(element, row, message);
                if (value != null) {
                    result.add(Values.detach(value));
                }
            }
            return result;
        }
        if (expression instanceof Expression.ObjectLiteral object) {
            ObjectNode result = Json.NODES.objectNode();
            for (Expression.ObjectMember member : object.members()) {
                JsonNode value = evaluate(member.value(), row, message);
                if (value != null) {
                    result.set(member.key(), Values.detach(value));
                }
            }
            return result;
        }
        if (expression instanceof Expression.NestedSelect nested) {
            return evaluateNestedSelect(nested, row, message);
        }
        if (expression instanceof Expression.WholePayload) {
            return BinaryNode.valueOf(message.payload());
        }
        throw new IllegalStateException(
                "no evaluation rule for " + expression.getClass().getSimpleName());
    }

    /** WHERE semantics: only a value that converts to Boolean true passes; false and Undefined do not. */
    public static boolean isTrue(JsonNode condition) {
        return Boolean.TRUE.equals(Values.toBoolean(condition));
    }

    /**
     * The output of a SELECT list on one row: the VALUE item itself, or an object built item by item.
     * {@code *} copies an object row's members; on a non-object row it is the row itself when it is the only
     * item (a JSON array or scalar payload, or a binary payload's raw bytes) and contributes nothing otherwise.
     * A binary (non-JSON, non-empty) payload under {@code *} stays the raw bytes even when other items are
     * selected: data can be added only to an empty or a JSON payload (AWS IoT, "Working with binary payloads").
     */
    public static JsonNode select(SelectClause select, JsonNode row, MessageContext message) {
        List<SelectClause.SelectItem> items = select.items();
        if (select.value()) {
            return Values.detach(evaluate(((SelectClause.Projection) items.get(0)).expression(), row, message));
        }
        if (items.size() == 1 && items.get(0) instanceof SelectClause.Wildcard && !row.isObject()) {
            return row.isMissingNode() ? BinaryNode.valueOf(message.payload()) : row.deepCopy();
        }
        if (row.isMissingNode()
                && message.payload().length > 0
                && items.stream().anyMatch(item -> item instanceof SelectClause.Wildcard)) {
            return BinaryNode.valueOf(message.payload());
        }
        ObjectNode output = Json.NODES.objectNode();
        for (SelectClause.SelectItem item : items) {
            if (item instanceof SelectClause.Projection projection) {
                JsonNode value = evaluate(projection.expression(), row, message);
                if (value != null) {
                    output.set(projection.outputKey(), Values.detach(value));
                }
            } else if (row.isObject()) {
                row.properties()
                        .forEach(member ->
                                output.set(member.getKey(), member.getValue().deepCopy()));
            }
        }
        return output;
    }

    private static JsonNode evaluateCase(Expression.Case caseExpression, JsonNode row, MessageContext message) {
        JsonNode subject = null;
        if (caseExpression.subject() != null) {
            subject = evaluate(caseExpression.subject(), row, message);
            if (subject == null) {
                return null;
            }
        }
        for (Expression.WhenClause when : caseExpression.whens()) {
            JsonNode candidate = evaluate(when.when(), row, message);
            boolean matched =
                    subject == null ? isTrue(candidate) : candidate != null && Values.equal(subject, candidate);
            if (matched) {
                return evaluate(when.then(), row, message);
            }
        }
        return caseExpression.otherwise() == null ? null : evaluate(caseExpression.otherwise(), row, message);
    }

    /** Over an array: one output per element passing WHERE (Undefined VALUE outputs dropped); over an object: one output. */
    private static JsonNode evaluateNestedSelect(Expression.NestedSelect nested, JsonNode row, MessageContext message) {
        JsonNode source = evaluate(nested.source(), row, message);
        if (source == null) {
            return null;
        }
        if (source.isArray()) {
            ArrayNode results = Json.NODES.arrayNode();
            for (JsonNode element : source) {
                if (nested.where() == null || isTrue(evaluate(nested.where(), element, message))) {
                    JsonNode output = select(nested.select(), element, message);
                    if (output != null) {
                        results.add(output);
                    }
                }
            }
            return results;
        }
        if (nested.where() != null && !isTrue(evaluate(nested.where(), source, message))) {
            return null;
        }
        return select(nested.select(), source, message);
    }
}
