package io.github.iottelemetry.query.engine;

import io.github.iottelemetry.query.catalog.LakeCatalog;
import io.github.iottelemetry.query.catalog.LakeTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Athena's view of the lake, on DuckDB over the local lake folder: one view per Glue table of the
 * template, with the table's columns (matched to the files' keys case-insensitively, as Athena's JSON
 * SerDe does) and its partition keys from the Hive-style folder names. A table with no files yet is
 * an empty view with the same columns, so every named query runs from the first minute.
 */
public final class LocalQueryEngine implements AutoCloseable {
    private final Connection connection;

    public LocalQueryEngine(LakeCatalog catalog, Path lakeFolder) {
        try {
            connection = DriverManager.getConnection("jdbc:duckdb:");
            for (LakeTable table : catalog.tables()) {
                try (Statement s = connection.createStatement()) {
                    s.execute(viewSql(table, lakeFolder));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "cannot open the local lake " + lakeFolder + " with DuckDB: " + e.getMessage(), e);
        }
    }

    /**
     * Runs {@code sql} with positional parameters. A parameter where Athena refuses one (anywhere but a WHERE clause)
     * is refused here too, before the query runs, so a query that works locally works on Athena.
     */
    public QueryResult run(String sql, List<String> parameters) {
        try {
            List<String> refused = AthenaParameterRules.violations(connection, sql);
            if (!refused.isEmpty()) {
                throw new IllegalArgumentException("Athena would refuse this query: " + String.join("; ", refused));
            }
        } catch (SQLException e) {
            throw new IllegalArgumentException("query failed on the local engine (DuckDB): " + e.getMessage(), e);
        }
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.size(); i++) {
                bind(ps, i + 1, parameters.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                ResultSetMetaData md = rs.getMetaData();
                List<String> columns = new ArrayList<>();
                for (int c = 1; c <= md.getColumnCount(); c++) {
                    columns.add(md.getColumnLabel(c));
                }
                List<List<Object>> rows = new ArrayList<>();
                while (rs.next()) {
                    List<Object> row = new ArrayList<>(columns.size());
                    for (int c = 1; c <= columns.size(); c++) {
                        row.add(plain(rs.getObject(c)));
                    }
                    rows.add(row);
                }
                return new QueryResult(columns, rows);
            }
        } catch (SQLException e) {
            throw new IllegalArgumentException("query failed on the local engine (DuckDB): " + e.getMessage(), e);
        }
    }

    /** DuckDB sums integers as HUGEINT: whole numbers that fit come back as Long, the rest as they are or as text. */
    private static Object plain(Object v) {
        if (v instanceof java.math.BigInteger big && big.bitLength() < 64) {
            return big.longValue();
        }
        return v == null || v instanceof Number || v instanceof String ? v : String.valueOf(v);
    }

    /** Numbers bind as numbers, everything else as text (the named queries compare dt as 'YYYY-MM-DD' text). */
    static void bind(PreparedStatement ps, int index, String value) throws SQLException {
        if (value.matches("-?\\d{1,18}")) {
            ps.setLong(index, Long.parseLong(value));
        } else if (value.matches("-?\\d+\\.\\d+")) {
            ps.setDouble(index, Double.parseDouble(value));
        } else {
            ps.setString(index, value);
        }
    }

    private String viewSql(LakeTable table, Path lakeFolder) throws SQLException {
        Path folder = lakeFolder.resolve(table.prefix());
        String extension = table.format() == LakeTable.Format.PARQUET ? ".parquet" : ".json.gz";
        String glob =
                folder.toString() + "/" + "*/".repeat(table.partitionKeys().size()) + "*" + extension;
        List<String> select = new ArrayList<>();
        if (!hasFiles(folder, extension)) {
            for (LakeTable.Column c : table.columns()) {
                select.add("CAST(NULL AS " + HiveTypes.toDuckDb(c.hiveType()) + ") AS " + quote(c.name()));
            }
            for (LakeTable.Column c : table.partitionKeys()) {
                select.add("CAST(NULL AS " + HiveTypes.toDuckDb(c.hiveType()) + ") AS " + quote(c.name()));
            }
            return "CREATE OR REPLACE VIEW " + quote(table.name()) + " AS SELECT " + String.join(", ", select)
                    + " WHERE false";
        }
        String hiveTypes = hiveTypes(table);
        Map<String, String> actual = actualColumns(table, glob);
        Map<String, String> jsonColumns = new LinkedHashMap<>();
        for (LakeTable.Column c : table.columns()) {
            String duck = HiveTypes.toDuckDb(c.hiveType());
            String key = actual.get(c.name().toLowerCase(Locale.ROOT));
            if (key == null) {
                select.add("CAST(NULL AS " + duck + ") AS " + quote(c.name()));
            } else {
                jsonColumns.put(key, duck);
                select.add("CAST(" + quote(key) + " AS " + duck + ") AS " + quote(c.name()));
            }
        }
        for (LakeTable.Column c : table.partitionKeys()) {
            select.add(quote(c.name()));
        }
        String source;
        if (table.format() == LakeTable.Format.PARQUET) {
            source = "read_parquet(" + literal(glob) + ", hive_partitioning = true, union_by_name = true, hive_types = "
                    + hiveTypes + ")";
        } else {
            StringBuilder columns = new StringBuilder("{");
            jsonColumns.forEach((k, v) -> columns.append(columns.length() > 1 ? ", " : "")
                    .append(literal(k))
                    .append(": ")
                    .append(literal(v)));
            source = "read_json(" + literal(glob)
                    + ", format = 'newline_delimited', compression = 'gzip', hive_partitioning = true,"
                    + " hive_types = " + hiveTypes + ", columns = " + columns.append('}') + ")";
        }
        return "CREATE OR REPLACE VIEW " + quote(table.name()) + " AS SELECT " + String.join(", ", select) + " FROM "
                + source;
    }

    /** The files' own column (or JSON key) names, by lower-case name. */
    private Map<String, String> actualColumns(LakeTable table, String glob) throws SQLException {
        String source = table.format() == LakeTable.Format.PARQUET
                ? "read_parquet(" + literal(glob) + ", union_by_name = true)"
                : "read_json_auto(" + literal(glob)
                        + ", format = 'newline_delimited', compression = 'gzip', union_by_name = true)";
        Map<String, String> names = new LinkedHashMap<>();
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("DESCRIBE SELECT * FROM " + source)) {
            while (rs.next()) {
                String name = rs.getString(1);
                names.putIfAbsent(name.toLowerCase(Locale.ROOT), name);
            }
        }
        return names;
    }

    private static String hiveTypes(LakeTable table) {
        StringBuilder sb = new StringBuilder("{");
        for (LakeTable.Column c : table.partitionKeys()) {
            sb.append(sb.length() > 1 ? ", " : "")
                    .append(literal(c.name()))
                    .append(": ")
                    .append(literal(HiveTypes.toDuckDb(c.hiveType())));
        }
        return sb.append('}').toString();
    }

    private static boolean hasFiles(Path folder, String extension) {
        if (!Files.isDirectory(folder)) {
            return false;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            return files.anyMatch(p -> p.getFileName().toString().endsWith(extension) && Files.isRegularFile(p));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder, e);
        }
    }

    private static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new IllegalStateException("closing DuckDB: " + e.getMessage(), e);
        }
    }
}
