package io.github.iottelemetry.iotrules.functions.math;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.iottelemetry.iotrules.eval.Values;
import io.github.iottelemetry.iotrules.functions.FunctionTable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.function.Function;

/**
 * Arithmetic functions. Those that keep 34-digit Decimals (abs, round, trunc, mod ...) work on BigDecimal; those
 * whose sections say "rounded to double precision" (power, sqrt, exp, ln, log) go through {@link DoublePrecision}.
 * Booleans are not numbers here: every table lists Boolean as Undefined.
 */
public final class MathFunctions {

    private MathFunctions() {}

    public static void addTo(FunctionTable table) {
        table.add(
                "abs(Decimal)",
                "absolute value; Int for an Int",
                1,
                1,
                (args, message) -> Values.isInt(args[0])
                        ? Values.integer(args[0].bigIntegerValue().abs())
                        : decimalOrUndefined(args[0], BigDecimal::abs));
        table.add("round(Decimal)", "nearest Int, halves away from zero", 1, 1, roundingToInt(RoundingMode.HALF_UP));
        table.add("floor(Decimal)", "greatest Int not above the argument", 1, 1, roundingToInt(RoundingMode.FLOOR));
        table.add("ceil(Decimal)", "least Int not below the argument", 1, 1, roundingToInt(RoundingMode.CEILING));
        table.add("sign(Decimal)", "-1, 0 or 1", 1, 1, (args, message) -> {
            BigDecimal value = Values.toDecimal(args[0]);
            return value == null ? null : Values.integer(value.signum());
        });
        table.add(
                "mod(Decimal, Decimal)",
                "remainder of the division, same as remainder() and %",
                2,
                2,
                (args, message) -> remainder(args[0], args[1]));
        table.add(
                "remainder(Decimal, Decimal)",
                "remainder of the division, same as mod() and %",
                2,
                2,
                (args, message) -> remainder(args[0], args[1]));
        table.add(
                "trunc(Decimal, Int)",
                "the first argument cut to the given number (0 to 34) of decimal places",
                2,
                2,
                (args, message) -> trunc(args[0], args[1]));
        table.add(
                "power(Decimal, Decimal)",
                "first argument raised to the second (double precision)",
                2,
                2,
                DoublePrecision.binary(Math::pow));
        table.add("sqrt(Decimal)", "square root (double precision)", 1, 1, DoublePrecision.unary(Math::sqrt));
        table.add(
                "exp(Decimal)", "e raised to the argument (double precision)", 1, 1, DoublePrecision.unary(Math::exp));
        table.add("ln(Decimal)", "natural logarithm (double precision)", 1, 1, DoublePrecision.unary(Math::log));
        table.add("log(Decimal)", "base 10 logarithm (double precision)", 1, 1, DoublePrecision.unary(Math::log10));
        table.add(
                "rand()",
                "a pseudorandom double, uniformly distributed in [0.0, 1.0)",
                0,
                0,
                (args, message) -> Values.decimal(message.nextRandom()));
    }

    private static JsonNode remainder(JsonNode left, JsonNode right) {
        if (Values.isInt(left) && Values.isInt(right)) {
            return right.bigIntegerValue().signum() == 0
                    ? null
                    : Values.integer(left.bigIntegerValue().remainder(right.bigIntegerValue()));
        }
        BigDecimal l = Values.toDecimal(left);
        BigDecimal r = Values.toDecimal(right);
        return l == null || r == null || r.signum() == 0 ? null : Values.decimal(l.remainder(r, Values.DECIMAL));
    }

    /** Places below 0 count as 0 and above 34 as 34 (the reference); trailing zeros go (trunc(2.00, 5) = 2). */
    private static JsonNode trunc(JsonNode number, JsonNode placesArgument) {
        BigDecimal value = Values.toDecimal(number);
        BigInteger places = Values.toInt(placesArgument);
        if (value == null || places == null) {
            return null;
        }
        int scale = places.signum() < 0 ? 0 : places.min(BigInteger.valueOf(34)).intValue();
        return Values.decimal(value.setScale(scale, RoundingMode.DOWN));
    }

    private static FunctionTable.Body roundingToInt(RoundingMode mode) {
        return (args, message) ->
                Values.isInt(args[0]) ? args[0] : decimalOrUndefined(args[0], value -> value.setScale(0, mode));
    }

    private static JsonNode decimalOrUndefined(JsonNode argument, Function<BigDecimal, BigDecimal> operation) {
        BigDecimal value = Values.toDecimal(argument);
        return value == null ? null : Values.decimal(operation.apply(value));
    }
}
