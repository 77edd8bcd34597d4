package io.github.iottelemetry.cost.price;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the module's small CSV data files: {@code #} lines are comments, the first other line names the
 * columns, fields may be double-quoted (a quoted field may hold commas; {@code ""} is a quote).
 */
final class CsvRows {

    private CsvRows() {}

    /** One data row: its 1-based line in the file and its fields by column name. */
    record Row(int line, Map<String, String> fields) {
        String get(String column) {
            return fields.getOrDefault(column, "");
        }
    }

    static List<Row> read(String resourceName, InputStream in, List<String> requiredColumns) {
        String text;
        try (in) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resourceName, e);
        }
        List<String> header = null;
        List<Row> rows = new ArrayList<>();
        String[] lines = text.split("\r?\n");
        for (int index = 0; index < lines.length; index++) {
            String line = lines[index];
            int lineNumber = index + 1;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            List<String> fields = split(line, resourceName, lineNumber);
            if (header == null) {
                header = fields;
                for (String column : requiredColumns) {
                    if (!header.contains(column)) {
                        throw new IllegalStateException(resourceName + ":" + lineNumber + ": header has no column '"
                                + column + "'; columns are " + header);
                    }
                }
                continue;
            }
            if (fields.size() != header.size()) {
                throw new IllegalStateException(resourceName + ":" + lineNumber + ": " + fields.size()
                        + " fields, the header has " + header.size() + " (" + header + ")");
            }
            Map<String, String> byColumn = new LinkedHashMap<>();
            for (int column = 0; column < header.size(); column++) {
                byColumn.put(header.get(column), fields.get(column));
            }
            rows.add(new Row(lineNumber, byColumn));
        }
        if (header == null) {
            throw new IllegalStateException(resourceName + ": no header line");
        }
        return rows;
    }

    private static List<String> split(String line, String resourceName, int lineNumber) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                fields.add(field.toString().trim());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        if (quoted) {
            throw new IllegalStateException(resourceName + ":" + lineNumber + ": a quoted field is not closed");
        }
        fields.add(field.toString().trim());
        return fields;
    }
}
