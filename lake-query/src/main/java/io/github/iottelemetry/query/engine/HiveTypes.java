package io.github.iottelemetry.query.engine;

import java.util.Locale;

/** Hive/Glue column types to DuckDB types: {@code array<struct<ts:bigint,m:map<string,double>>>} to {@code STRUCT(ts BIGINT, m MAP(VARCHAR, DOUBLE))[]}. */
final class HiveTypes {
    private final String text;
    private int i;

    private HiveTypes(String text) {
        this.text = text.replace(" ", "");
    }

    static String toDuckDb(String hiveType) {
        HiveTypes p = new HiveTypes(hiveType);
        String t = p.type();
        if (p.i != p.text.length()) {
            throw new IllegalArgumentException("Glue type " + hiveType + ": unexpected text at position " + p.i);
        }
        return t;
    }

    private String type() {
        String word = word().toLowerCase(Locale.ROOT);
        switch (word) {
            case "array" -> {
                expect('<');
                String element = type();
                expect('>');
                return element + "[]";
            }
            case "map" -> {
                expect('<');
                String key = type();
                expect(',');
                String value = type();
                expect('>');
                return "MAP(" + key + ", " + value + ")";
            }
            case "struct" -> {
                expect('<');
                StringBuilder sb = new StringBuilder("STRUCT(");
                boolean first = true;
                while (true) {
                    String field = word();
                    expect(':');
                    sb.append(first ? "" : ", ")
                            .append('"')
                            .append(field)
                            .append("\" ")
                            .append(type());
                    first = false;
                    if (peek() == ',') {
                        i++;
                        continue;
                    }
                    expect('>');
                    return sb.append(')').toString();
                }
            }
            default -> {
                return scalar(word);
            }
        }
    }

    private static String scalar(String hive) {
        return switch (hive) {
            case "string", "varchar", "char" -> "VARCHAR";
            case "bigint" -> "BIGINT";
            case "int", "integer" -> "INTEGER";
            case "smallint" -> "SMALLINT";
            case "tinyint" -> "TINYINT";
            case "double" -> "DOUBLE";
            case "float" -> "FLOAT";
            case "boolean" -> "BOOLEAN";
            case "timestamp" -> "TIMESTAMP";
            case "date" -> "DATE";
            case "binary" -> "BLOB";
            default -> throw new IllegalArgumentException("Glue type " + hive + " has no DuckDB equivalent here");
        };
    }

    private String word() {
        int start = i;
        while (i < text.length() && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_')) {
            i++;
        }
        if (start == i) {
            throw new IllegalArgumentException("Glue type " + text + ": expected a name at position " + start);
        }
        return text.substring(start, i);
    }

    private char peek() {
        return i < text.length() ? text.charAt(i) : 0;
    }

    private void expect(char c) {
        if (peek() != c) {
            throw new IllegalArgumentException("Glue type " + text + ": expected '" + c + "' at position " + i);
        }
        i++;
    }
}
