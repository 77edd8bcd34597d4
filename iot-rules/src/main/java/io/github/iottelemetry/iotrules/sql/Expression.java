package io.github.iottelemetry.iotrules.sql;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.iottelemetry.iotrules.functions.IotSqlFunction;
import java.util.List;

/**
 * The expression tree of IoT SQL. Field names resolve against the current row: the message payload,
 * or an element of the array a nested {@code (SELECT ... FROM path)} iterates over.
 */
public sealed interface Expression {

    /** True when evaluating this expression never reads the payload (only the message's metadata). */
    boolean readsPayload();

    /** A JSON value written in the SQL: number, string, boolean or NULL. */
    record Literal(JsonNode value) implements Expression {
        public boolean readsPayload() {
            return false;
        }
    }

    /**
     * {@code *} as a function argument, as in {@code encode(*, 'base64')}: the message payload as received, JSON or
     * not. It evaluates to the raw bytes (a BinaryNode), whose string conversion is Undefined.
     */
    record WholePayload() implements Expression {
        public boolean readsPayload() {
            return true;
        }
    }

    /** A bare name such as {@code color}: the member of the current row. */
    record FieldReference(String name) implements Expression {
        public boolean readsPayload() {
            return true;
        }
    }

    /** {@code target.name}. */
    record MemberAccess(Expression target, String name) implements Expression {
        public boolean readsPayload() {
            return target.readsPayload();
        }
    }

    /** {@code target[index]}: an array element (index converted to Int) or, for a string index, an object member. */
    record IndexAccess(Expression target, Expression index) implements Expression {
        public boolean readsPayload() {
            return target.readsPayload() || index.readsPayload();
        }
    }

    record FunctionCall(IotSqlFunction function, List<Expression> arguments) implements Expression {
        public boolean readsPayload() {
            return arguments.stream().anyMatch(Expression::readsPayload);
        }
    }

    /** {@code cast(value AS type)}. */
    record Cast(Expression value, CastType type) implements Expression {
        public boolean readsPayload() {
            return value.readsPayload();
        }
    }

    record Binary(BinaryOperator operator, Expression left, Expression right) implements Expression {
        public boolean readsPayload() {
            return left.readsPayload() || right.readsPayload();
        }
    }

    record Not(Expression operand) implements Expression {
        public boolean readsPayload() {
            return operand.readsPayload();
        }
    }

    /** Unary minus on a non-literal, e.g. {@code -temperature}. */
    record Negate(Expression operand) implements Expression {
        public boolean readsPayload() {
            return operand.readsPayload();
        }
    }

    /**
     * {@code CASE [subject] WHEN ... THEN ... [ELSE ...] END}. With a subject, each WHEN is compared with
     * {@code =}; without one (searched form), each WHEN is a condition.
     */
    record Case(Expression subject, List<WhenClause> whens, Expression otherwise) implements Expression {
        public boolean readsPayload() {
            return (subject != null && subject.readsPayload())
                    || (otherwise != null && otherwise.readsPayload())
                    || whens.stream()
                            .anyMatch(w -> w.when().readsPayload() || w.then().readsPayload());
        }
    }

    record WhenClause(Expression when, Expression then) {}

    record ArrayLiteral(List<Expression> elements) implements Expression {
        public boolean readsPayload() {
            return elements.stream().anyMatch(Expression::readsPayload);
        }
    }

    record ObjectLiteral(List<ObjectMember> members) implements Expression {
        public boolean readsPayload() {
            return members.stream().anyMatch(m -> m.value().readsPayload());
        }
    }

    record ObjectMember(String key, Expression value) {}

    /**
     * {@code (SELECT [VALUE] items FROM source [WHERE condition])}: runs the select over each element of
     * the source array (or once over the source object), giving an array (or one row).
     */
    record NestedSelect(SelectClause select, Expression source, Expression where) implements Expression {
        public boolean readsPayload() {
            return true;
        }
    }
}
