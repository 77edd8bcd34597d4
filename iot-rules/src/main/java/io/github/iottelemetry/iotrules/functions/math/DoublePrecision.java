package io.github.iottelemetry.iotrules.functions.math;

import io.github.iottelemetry.iotrules.eval.Values;
import io.github.iottelemetry.iotrules.functions.FunctionTable;
import java.math.BigDecimal;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/**
 * The shape shared by the functions whose sections say "Decimal arguments are rounded to double precision before
 * function application": Int, Decimal and numeric strings are taken, anything else is Undefined, and so is a result
 * that is not a real number (NaN, the "imaginary results" of acos or ln, or an overflow to infinity).
 */
final class DoublePrecision {

    private DoublePrecision() {}

    static FunctionTable.Body unary(DoubleUnaryOperator operation) {
        return (args, message) -> {
            BigDecimal value = Values.toDecimal(args[0]);
            return value == null ? null : Values.decimal(operation.applyAsDouble(value.doubleValue()));
        };
    }

    static FunctionTable.Body binary(DoubleBinaryOperator operation) {
        return (args, message) -> {
            BigDecimal left = Values.toDecimal(args[0]);
            BigDecimal right = Values.toDecimal(args[1]);
            return left == null || right == null
                    ? null
                    : Values.decimal(operation.applyAsDouble(left.doubleValue(), right.doubleValue()));
        };
    }
}
