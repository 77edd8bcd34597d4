package io.github.iottelemetry.iotrules.functions.types;

import com.fasterxml.jackson.databind.node.BooleanNode;
import io.github.iottelemetry.iotrules.functions.FunctionTable;

/** Tests on a value's type, where Null (a JSON value) and Undefined (no value) differ. */
public final class TypeFunctions {

    private TypeFunctions() {}

    public static void addTo(FunctionTable table) {
        table.add(
                "isUndefined()",
                "true when the argument is Undefined",
                1,
                1,
                (args, message) -> BooleanNode.valueOf(args[0] == null));
        table.add(
                "isNull()",
                "true when the argument is Null",
                1,
                1,
                (args, message) -> BooleanNode.valueOf(args[0] != null && args[0].isNull()));
        // A JSON payload cannot hold NaN, so "not a valid Decimal" leaves Null and Undefined.
        table.add(
                "nanvl(AnyValue, AnyValue)",
                "the first argument, or the second when the first is Null, Undefined or NaN",
                2,
                2,
                (args, message) -> args[0] == null || args[0].isNull() ? args[1] : args[0]);
    }
}
