package io.github.iottelemetry.console;

import io.github.iottelemetry.query.engine.QueryResult;
import java.util.List;

/** A query result as RFC 4180 CSV: a header row, then one line per row; NULL is an empty field. */
final class Csv {

    private Csv() {}

    static String write(QueryResult result) {
        StringBuilder out = new StringBuilder();
        line(out, result.columns());
        for (List<Object> row : result.rows()) {
            line(out, row);
        }
        return out.toString();
    }

    private static void line(StringBuilder out, List<?> values) {
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(field(values.get(i)));
        }
        out.append("\r\n");
    }

    /**
     * Quoted when it holds a comma, quote or line break, or starts with a character a spreadsheet would take for a
     * formula (then prefixed with an apostrophe: device-controlled text must not run in a spreadsheet either).
     */
    static String field(Object value) {
        if (value == null) {
            return "";
        }
        String s = value.toString();
        if (!s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0 && !(value instanceof Number)) {
            s = "'" + s;
        }
        if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
            return "\"" + s.replace("\"", "\"\"") + "\"";
        }
        return s;
    }
}
