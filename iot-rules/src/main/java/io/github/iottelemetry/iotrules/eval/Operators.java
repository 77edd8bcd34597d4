package io.github.iottelemetry.iotrules.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.github.iottelemetry.iotrules.sql.BinaryOperator;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * The operator tables of the iot-sql-operators page. Every operator yields Undefined (null) when an
 * operand is Undefined or of a type its table does not list.
 */
public final class Operators {

    private Operators() {}

    public static JsonNode apply(BinaryOperator operator, JsonNode left, JsonNode right) {
        if (left == null || right == null) {
            return null;
        }
        return switch (operator) {
            case AND, OR -> logical(operator, left, right);
            case EQUAL -> BooleanNode.valueOf(Values.equal(left, right));
            case NOT_EQUAL -> BooleanNode.valueOf(!Values.equal(left, right));
            case LESS, LESS_EQUAL, GREATER, GREATER_EQUAL -> compare(operator, left, right);
            case ADD -> add(left, right);
            case SUBTRACT, MULTIPLY, DIVIDE, MODULO -> arithmetic(operator, left, right);
        };
    }

    public static JsonNode not(JsonNode operand) {
        Boolean value = Values.toBoolean(operand);
        return value == null ? null : BooleanNode.valueOf(!value);
    }

    public static JsonNode negate(JsonNode operand) {
        if (Values.isInt(operand)) {
            return Values.integer(operand.bigIntegerValue().negate());
        }
        BigDecimal value = Values.toDecimal(operand);
        return value == null ? null : Values.decimal(value.negate());
    }

    private static JsonNode logical(BinaryOperator operator, JsonNode left, JsonNode right) {
        Boolean l = Values.toBoolean(left);
        Boolean r = Values.toBoolean(right);
        if (l == null || r == null) {
            return null;
        }
        return BooleanNode.valueOf(operator == BinaryOperator.AND ? l && r : l || r);
    }

    private static JsonNode compare(BinaryOperator operator, JsonNode left, JsonNode right) {
        BigDecimal l = Values.toDecimal(left);
        BigDecimal r = Values.toDecimal(right);
        if (l == null || r == null) {
            return null;
        }
        int order = l.compareTo(r);
        return BooleanNode.valueOf(
                switch (operator) {
                    case LESS -> order < 0;
                    case LESS_EQUAL -> order <= 0;
                    case GREATER -> order > 0;
                    default -> order >= 0;
                });
    }

    /** "+" concatenates when either side is a String, else adds numbers (strings are not parsed as numbers here). */
    private static JsonNode add(JsonNode left, JsonNode right) {
        if (left.isTextual() || right.isTextual()) {
            String l = Values.toText(left);
            String r = Values.toText(right);
            return l == null || r == null ? null : TextNode.valueOf(l + r);
        }
        if (!left.isNumber() || !right.isNumber()) {
            return null;
        }
        if (left.isIntegralNumber() && right.isIntegralNumber()) {
            return Values.integer(left.bigIntegerValue().add(right.bigIntegerValue()));
        }
        return Values.decimal(Values.toDecimal(left).add(Values.toDecimal(right), Values.DECIMAL));
    }

    private static JsonNode arithmetic(BinaryOperator operator, JsonNode left, JsonNode right) {
        if (left.isIntegralNumber() && right.isIntegralNumber()) {
            BigInteger l = left.bigIntegerValue();
            BigInteger r = right.bigIntegerValue();
            return switch (operator) {
                case SUBTRACT -> Values.integer(l.subtract(r));
                case MULTIPLY -> Values.integer(l.multiply(r));
                // Int / Int is an Int (the operator table); like Java, the quotient is truncated toward zero.
                case DIVIDE -> r.signum() == 0 ? null : Values.integer(l.divide(r));
                default -> r.signum() == 0 ? null : Values.integer(l.remainder(r));
            };
        }
        BigDecimal l = Values.toDecimal(left);
        BigDecimal r = Values.toDecimal(right);
        if (l == null || r == null) {
            return null;
        }
        return switch (operator) {
            case SUBTRACT -> Values.decimal(l.subtract(r, Values.DECIMAL));
            case MULTIPLY -> Values.decimal(l.multiply(r, Values.DECIMAL));
            case DIVIDE -> r.signum() == 0 ? null : Values.decimal(l.divide(r, Values.DECIMAL));
            default -> r.signum() == 0 ? null : Values.decimal(l.remainder(r, Values.DECIMAL));
        };
    }
}
