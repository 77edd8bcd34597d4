package io.github.iottelemetry.iotrules.functions.math;

import io.github.iottelemetry.iotrules.eval.Values;
import io.github.iottelemetry.iotrules.functions.FunctionTable;
import java.math.BigInteger;
import java.util.function.BinaryOperator;

/**
 * Bitwise functions on the two's-complement bits of Int-converted arguments: Decimals and numeric strings lose
 * their fraction (the engine's one Int conversion, toward zero), anything else makes the result Undefined.
 */
public final class BitFunctions {

    private BitFunctions() {}

    public static void addTo(FunctionTable table) {
        table.add("bitand(Int, Int)", "bitwise AND", 2, 2, binary(BigInteger::and));
        table.add("bitor(Int, Int)", "bitwise OR", 2, 2, binary(BigInteger::or));
        table.add("bitxor(Int, Int)", "bitwise XOR", 2, 2, binary(BigInteger::xor));
        table.add("bitnot(Int)", "bitwise NOT (two's complement: bitnot(13) = -14)", 1, 1, (args, message) -> {
            BigInteger value = Values.toInt(args[0]);
            return value == null ? null : Values.integer(value.not());
        });
    }

    private static FunctionTable.Body binary(BinaryOperator<BigInteger> operation) {
        return (args, message) -> {
            BigInteger left = Values.toInt(args[0]);
            BigInteger right = Values.toInt(args[1]);
            return left == null || right == null ? null : Values.integer(operation.apply(left, right));
        };
    }
}
