package io.github.iottelemetry.iotrules.functions.math;

import io.github.iottelemetry.iotrules.functions.FunctionTable;

/** Trigonometric and hyperbolic functions, in radians, with double precision (see {@link DoublePrecision}). */
public final class TrigonometricFunctions {

    private TrigonometricFunctions() {}

    public static void addTo(FunctionTable table) {
        table.add("sin(Decimal)", "sine", 1, 1, DoublePrecision.unary(Math::sin));
        table.add("cos(Decimal)", "cosine", 1, 1, DoublePrecision.unary(Math::cos));
        table.add("tan(Decimal)", "tangent", 1, 1, DoublePrecision.unary(Math::tan));
        table.add("asin(Decimal)", "inverse sine; Undefined outside [-1, 1]", 1, 1, DoublePrecision.unary(Math::asin));
        table.add(
                "acos(Decimal)", "inverse cosine; Undefined outside [-1, 1]", 1, 1, DoublePrecision.unary(Math::acos));
        table.add("atan(Decimal)", "inverse tangent", 1, 1, DoublePrecision.unary(Math::atan));
        // atan2(1, 0) = pi/2 in the reference: the first argument is y, as in Math.atan2.
        table.add(
                "atan2(Decimal, Decimal)",
                "angle of the point (x, y) = (second, first argument) from the x-axis",
                2,
                2,
                DoublePrecision.binary(Math::atan2));
        table.add("sinh(Decimal)", "hyperbolic sine", 1, 1, DoublePrecision.unary(Math::sinh));
        table.add("cosh(Decimal)", "hyperbolic cosine", 1, 1, DoublePrecision.unary(Math::cosh));
        table.add("tanh(Decimal)", "hyperbolic tangent", 1, 1, DoublePrecision.unary(Math::tanh));
    }
}
