package io.github.iottelemetry.iotrules.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.TextNode;
import io.github.iottelemetry.iotrules.sql.CastType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * IoT SQL values and the standard conversions of the iot-sql-data-types page. A value is a Jackson node;
 * Java {@code null} stands for {@code Undefined} (a missing field, or a function given wrong arguments),
 * which is omitted from output objects. Int is an integral node, Decimal a {@link DecimalNode}; a Decimal
 * result that is a whole number becomes an Int, as SQL version 2016-03-23 does.
 */
public final class Values {

    /** 34 significant digits, the precision of IoT SQL's Decimal. */
    public static final MathContext DECIMAL = MathContext.DECIMAL128;

    /** Strings that convert to Decimal, exactly the regular expression of the docs. */
    private static final Pattern DECIMAL_STRING = Pattern.compile("^-?\\d+(\\.\\d+)?((?i)E-?\\d+)?$");

    private Values() {}

    public static boolean isInt(JsonNode value) {
        return value != null && value.isIntegralNumber();
    }

    public static boolean isNumber(JsonNode value) {
        return value != null && value.isNumber();
    }

    public static JsonNode integer(long value) {
        return value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE
                ? Json.NODES.numberNode((int) value)
                : Json.NODES.numberNode(value);
    }

    public static JsonNode integer(BigInteger value) {
        return value.bitLength() < 64 ? integer(value.longValue()) : Json.NODES.numberNode(value);
    }

    /** A Decimal result: rounded to 34 digits, and an Int when it is a whole number. */
    public static JsonNode decimal(BigDecimal value) {
        BigDecimal rounded = value.round(DECIMAL);
        if (rounded.signum() == 0) {
            return integer(0);
        }
        BigDecimal stripped = rounded.stripTrailingZeros();
        if (stripped.scale() <= 0) {
            return integer(stripped.toBigIntegerExact());
        }
        return Json.NODES.numberNode(stripped);
    }

    /** A Decimal with double precision (power, sqrt): NaN and infinities are Undefined. */
    public static JsonNode decimal(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return null;
        }
        return decimal(BigDecimal.valueOf(value));
    }

    /** Conversion to Decimal: numbers, and strings matching the docs' pattern; anything else is Undefined (null). */
    public static BigDecimal toDecimal(JsonNode value) {
        if (value == null) {
            return null;
        }
        if (value.isNumber()) {
            return value.isIntegralNumber() ? new BigDecimal(value.bigIntegerValue()) : value.decimalValue();
        }
        if (value.isTextual()) {
            String text = value.textValue();
            if (DECIMAL_STRING.matcher(text).matches()) {
                return new BigDecimal(text);
            }
        }
        return null;
    }

    /** Conversion to Int: Decimals and decimal strings are truncated toward zero; anything else is Undefined. */
    public static BigInteger toInt(JsonNode value) {
        if (isInt(value)) {
            return value.bigIntegerValue();
        }
        BigDecimal decimal = toDecimal(value);
        return decimal == null ? null : decimal.setScale(0, RoundingMode.DOWN).toBigIntegerExact();
    }

    /** {@link #toInt} as an int index, clamped to the int range (callers treat far values as out of bounds). */
    public static Integer toIndex(JsonNode value) {
        BigInteger index = toInt(value);
        if (index == null) {
            return null;
        }
        return index.bitLength() < 32 ? index.intValue() : (index.signum() < 0 ? Integer.MIN_VALUE : Integer.MAX_VALUE);
    }

    /** Conversion to Boolean: booleans, and the strings "true"/"false" in any case. */
    public static Boolean toBoolean(JsonNode value) {
        if (value == null) {
            return null;
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isTextual()) {
            String text = value.textValue();
            if (text.equalsIgnoreCase("true")) {
                return Boolean.TRUE;
            }
            if (text.equalsIgnoreCase("false")) {
                return Boolean.FALSE;
            }
        }
        return null;
    }

    /** Conversion to String: arrays and objects become their JSON text; Null and Undefined stay Undefined. */
    public static String toText(JsonNode value) {
        if (value == null) {
            return null;
        }
        return switch (value.getNodeType()) {
            case STRING -> value.textValue();
            case NUMBER ->
                value.isIntegralNumber()
                        ? value.bigIntegerValue().toString()
                        : value.decimalValue().toString();
            case BOOLEAN -> value.booleanValue() ? "true" : "false";
            case ARRAY, OBJECT -> Json.write(value);
            case BINARY, MISSING, NULL, POJO -> null;
        };
    }

    public static JsonNode text(String value) {
        return value == null ? null : TextNode.valueOf(value);
    }

    public static JsonNode bool(Boolean value) {
        return value == null ? null : BooleanNode.valueOf(value);
    }

    /** The {@code =} operator's notion of equality (Undefined is handled by the caller). */
    public static boolean equal(JsonNode left, JsonNode right) {
        if (left.isNumber() && right.isNumber()) {
            if (left.isIntegralNumber() && right.isIntegralNumber()) {
                return left.bigIntegerValue().equals(right.bigIntegerValue());
            }
            return toDecimal(left).compareTo(toDecimal(right)) == 0;
        }
        JsonNodeType type = left.getNodeType();
        if (type != right.getNodeType()) {
            return false;
        }
        switch (type) {
            case STRING:
                return left.textValue().equals(right.textValue());
            case BOOLEAN:
                return left.booleanValue() == right.booleanValue();
            case NULL:
                return true;
            case ARRAY: {
                if (left.size() != right.size()) {
                    return false;
                }
                for (int i = 0; i < left.size(); i++) {
                    if (!equal(left.get(i), right.get(i))) {
                        return false;
                    }
                }
                return true;
            }
            case OBJECT: {
                if (left.size() != right.size()) {
                    return false;
                }
                for (Map.Entry<String, JsonNode> member : left.properties()) {
                    JsonNode other = right.get(member.getKey());
                    if (other == null || !equal(member.getValue(), other)) {
                        return false;
                    }
                }
                return true;
            }
            default:
                return left.equals(right);
        }
    }

    /** The get() function and {@code target[index]}: array element, string character, or object member. */
    public static JsonNode get(JsonNode collection, JsonNode key) {
        if (collection == null || key == null) {
            return null;
        }
        if (collection.isArray()) {
            Integer index = toIndex(key);
            return index == null || index < 0 || index >= collection.size() ? null : collection.get(index);
        }
        if (collection.isTextual()) {
            Integer index = toIndex(key);
            String text = collection.textValue();
            return index == null || index < 0 || index >= text.length()
                    ? null
                    : TextNode.valueOf(String.valueOf(text.charAt(index)));
        }
        if (collection.isObject() && key.isTextual()) {
            return collection.get(key.textValue());
        }
        return null;
    }

    /** cast(value AS type), per the casting tables of the cast() function. */
    public static JsonNode cast(JsonNode value, CastType type) {
        if (value == null || value.isNull()) {
            return null;
        }
        return switch (type) {
            case STRING -> text(toText(value));
            case INT -> value.isBoolean() ? integer(value.booleanValue() ? 1 : 0) : nullableInteger(toInt(value));
            case DECIMAL, DOUBLE -> {
                if (value.isBoolean()) {
                    yield integer(value.booleanValue() ? 1 : 0);
                }
                BigDecimal decimal = toDecimal(value);
                if (decimal == null) {
                    yield null;
                }
                yield type == CastType.DOUBLE ? decimal(decimal.doubleValue()) : decimal(decimal);
            }
            case BOOLEAN -> {
                if (value.isNumber()) {
                    yield BooleanNode.valueOf(toDecimal(value).signum() != 0);
                }
                yield bool(toBoolean(value));
            }
        };
    }

    private static JsonNode nullableInteger(BigInteger value) {
        return value == null ? null : integer(value);
    }

    /** Containers are copied so that an output tree never shares nodes with the message's cached payload tree. */
    public static JsonNode detach(JsonNode value) {
        return value != null && value.isContainerNode() ? value.deepCopy() : value;
    }
}
