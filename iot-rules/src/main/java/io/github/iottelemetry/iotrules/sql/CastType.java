package io.github.iottelemetry.iotrules.sql;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Target types of {@code cast(value AS type)} for SQL version 2016-03-23, with the keywords that name them. */
public enum CastType {
    STRING,
    INT,
    DECIMAL,
    DOUBLE,
    BOOLEAN;

    private static final Map<String, CastType> KEYWORDS = Map.ofEntries(
            Map.entry("string", STRING),
            Map.entry("nvarchar", STRING),
            Map.entry("text", STRING),
            Map.entry("ntext", STRING),
            Map.entry("varchar", STRING),
            Map.entry("int", INT),
            Map.entry("integer", INT),
            Map.entry("double", DOUBLE),
            Map.entry("decimal", DECIMAL),
            Map.entry("bool", BOOLEAN),
            Map.entry("boolean", BOOLEAN));

    public static Optional<CastType> forKeyword(String keyword) {
        return Optional.ofNullable(KEYWORDS.get(keyword.toLowerCase(Locale.ROOT)));
    }

    public static String keywords() {
        return "String, Nvarchar, Text, Ntext, varchar, Int, Integer, Double, Decimal, Bool, Boolean";
    }
}
