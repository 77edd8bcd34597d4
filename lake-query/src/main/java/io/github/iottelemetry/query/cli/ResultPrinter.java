package io.github.iottelemetry.query.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.iottelemetry.query.engine.QueryResult;
import java.io.PrintStream;
import java.util.List;

/** Prints a result as an aligned table, CSV (RFC 4180 quoting) or JSON (an array of objects). */
final class ResultPrinter {
    enum Format {
        table,
        csv,
        json
    }

    private ResultPrinter() {}

    static void print(QueryResult r, Format format, PrintStream out) {
        switch (format) {
            case table -> table(r, out);
            case csv -> csv(r, out);
            case json -> json(r, out);
        }
    }

    private static void table(QueryResult r, PrintStream out) {
        int[] width = new int[r.columns().size()];
        for (int c = 0; c < width.length; c++) {
            width[c] = r.columns().get(c).length();
            for (List<Object> row : r.rows()) {
                width[c] = Math.max(width[c], text(row.get(c)).length());
            }
        }
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < width.length; c++) {
            line.append(c == 0 ? "" : "  ")
                    .append(String.format("%-" + width[c] + "s", r.columns().get(c)));
        }
        out.println(line.toString().stripTrailing());
        line.setLength(0);
        for (int c = 0; c < width.length; c++) {
            line.append(c == 0 ? "" : "  ").append("-".repeat(width[c]));
        }
        out.println(line);
        for (List<Object> row : r.rows()) {
            line.setLength(0);
            for (int c = 0; c < width.length; c++) {
                Object v = row.get(c);
                String t = text(v);
                line.append(c == 0 ? "" : "  ")
                        .append(
                                v instanceof Number
                                        ? String.format("%" + width[c] + "s", t)
                                        : String.format("%-" + width[c] + "s", t));
            }
            out.println(line.toString().stripTrailing());
        }
        out.println("(" + r.rows().size() + (r.rows().size() == 1 ? " row)" : " rows)"));
    }

    private static void csv(QueryResult r, PrintStream out) {
        out.println(String.join(
                ",", r.columns().stream().map(ResultPrinter::csvField).toList()));
        for (List<Object> row : r.rows()) {
            out.println(String.join(
                    ",",
                    row.stream().map(v -> v == null ? "" : csvField(text(v))).toList()));
        }
    }

    private static String csvField(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }

    private static void json(QueryResult r, PrintStream out) {
        ObjectMapper mapper = new ObjectMapper();
        ArrayNode array = mapper.createArrayNode();
        for (List<Object> row : r.rows()) {
            ObjectNode o = array.addObject();
            for (int c = 0; c < r.columns().size(); c++) {
                o.set(r.columns().get(c), mapper.valueToTree(row.get(c)));
            }
        }
        out.println(array.toPrettyString());
    }

    private static String text(Object v) {
        return v == null ? "" : String.valueOf(v);
    }
}
