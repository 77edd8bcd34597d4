package io.github.iottelemetry.iotrules.functions.strings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.github.iottelemetry.iotrules.eval.Values;
import io.github.iottelemetry.iotrules.functions.FunctionTable;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * String functions. Every argument that should be a String goes through the standard conversion (numbers and
 * booleans as text, arrays and objects as their JSON), and Null or Undefined make the result Undefined.
 */
public final class StringFunctions {

    /** lpad()/rpad() clamp their count to this, per their sections. */
    private static final int MAX_PADDING = 1000;

    private StringFunctions() {}

    public static void addTo(FunctionTable table) {
        table.add("lower(String)", "lower case", 1, 1, unary(text -> text.toLowerCase(Locale.ROOT)));
        table.add("upper(String)", "upper case", 1, 1, unary(text -> text.toUpperCase(Locale.ROOT)));
        table.add(
                "trim(String)",
                "without leading and trailing spaces and tabs",
                1,
                1,
                unary(text -> stripEnd(stripStart(text))));
        table.add("ltrim(String)", "without leading spaces and tabs", 1, 1, unary(StringFunctions::stripStart));
        table.add("rtrim(String)", "without trailing spaces and tabs", 1, 1, unary(StringFunctions::stripEnd));
        table.add("length(String)", "number of characters", 1, 1, (args, message) -> {
            String text = Values.toText(args[0]);
            return text == null ? null : Values.integer(text.codePointCount(0, text.length()));
        });
        table.add("numbytes(String)", "number of bytes of the UTF-8 encoding", 1, 1, (args, message) -> {
            String text = Values.toText(args[0]);
            return text == null ? null : Values.integer(text.getBytes(StandardCharsets.UTF_8).length);
        });
        table.add(
                "substring(String, Int[, Int])",
                "characters from the first index (inclusive) to the second (exclusive)",
                2,
                3,
                (args, message) -> substring(args));
        table.add(
                "startswith(String, String)",
                "whether the first string starts with the second",
                2,
                2,
                binary((text, prefix) -> BooleanNode.valueOf(text.startsWith(prefix))));
        table.add(
                "endswith(String, String)",
                "whether the first string ends with the second",
                2,
                2,
                binary((text, suffix) -> BooleanNode.valueOf(text.endsWith(suffix))));
        table.add(
                "indexof(String, String)",
                "first 0-based index of the second string in the first, or -1",
                2,
                2,
                binary((text, part) -> Values.integer(text.indexOf(part))));
        table.add(
                "replace(String, String, String)",
                "every occurrence of the second string replaced by the third",
                3,
                3,
                (args, message) -> {
                    String text = Values.toText(args[0]);
                    String target = Values.toText(args[1]);
                    String replacement = Values.toText(args[2]);
                    return text == null || target == null || replacement == null
                            ? null
                            : TextNode.valueOf(text.replace(target, replacement));
                });
        table.add("lpad(String, Int)", "the string after n spaces (n clamped to 0..1000)", 2, 2, padding(true));
        table.add("rpad(String, Int)", "the string followed by n spaces (n clamped to 0..1000)", 2, 2, padding(false));
        table.add("chr(String)", "the ASCII character of an Int code (0 to 127)", 1, 1, (args, message) -> {
            BigInteger code = Values.toInt(args[0]);
            return code == null || code.signum() < 0 || code.bitLength() > 7
                    ? null
                    : TextNode.valueOf(String.valueOf((char) code.intValue()));
        });
    }

    /** substring(String, Int[, Int]): indices clamped to [0, length]; from >= to gives "". */
    private static JsonNode substring(JsonNode[] args) {
        String text = Values.toText(args[0]);
        Integer from = Values.toIndex(args[1]);
        Integer to = args.length == 3 ? Values.toIndex(args[2]) : Integer.valueOf(text == null ? 0 : text.length());
        if (text == null || from == null || to == null) {
            return null;
        }
        int start = Math.max(0, Math.min(from, text.length()));
        int end = Math.max(0, Math.min(to, text.length()));
        return TextNode.valueOf(start >= end ? "" : text.substring(start, end));
    }

    private static FunctionTable.Body padding(boolean left) {
        return (args, message) -> {
            String text = Values.toText(args[0]);
            BigInteger count = Values.toInt(args[1]);
            if (text == null || count == null) {
                return null;
            }
            String spaces = " "
                    .repeat(count.max(BigInteger.ZERO)
                            .min(BigInteger.valueOf(MAX_PADDING))
                            .intValue());
            return TextNode.valueOf(left ? spaces + text : text + spaces);
        };
    }

    // ltrim and rtrim define white space as "tabs and spaces"; trim uses the same definition.
    private static String stripStart(String text) {
        int start = 0;
        while (start < text.length() && isBlank(text.charAt(start))) {
            start++;
        }
        return text.substring(start);
    }

    private static String stripEnd(String text) {
        int end = text.length();
        while (end > 0 && isBlank(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end);
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }

    static FunctionTable.Body unary(Function<String, String> operation) {
        return (args, message) -> {
            String text = Values.toText(args[0]);
            return text == null ? null : TextNode.valueOf(operation.apply(text));
        };
    }

    static FunctionTable.Body binary(BiFunction<String, String, JsonNode> operation) {
        return (args, message) -> {
            String left = Values.toText(args[0]);
            String right = Values.toText(args[1]);
            return left == null || right == null ? null : operation.apply(left, right);
        };
    }
}
