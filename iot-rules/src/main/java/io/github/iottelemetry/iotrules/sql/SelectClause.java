package io.github.iottelemetry.iotrules.sql;

import java.util.List;

/**
 * What a SELECT produces: with {@code VALUE}, the single item's value itself; otherwise an object built
 * from the items in order ({@code *} copies the row's members, a projection sets one key).
 */
public record SelectClause(boolean value, List<SelectItem> items) {

    public sealed interface SelectItem {}

    /** {@code *}. */
    public record Wildcard() implements SelectItem {}

    /** {@code expression [AS alias]}; {@code outputKey} is the alias or the name derived from the expression. */
    public record Projection(Expression expression, String outputKey) implements SelectItem {}
}
