package io.github.iottelemetry.verify;

import io.github.iottelemetry.core.ledger.LedgerEntry;
import io.github.iottelemetry.core.payload.Reading;
import io.github.iottelemetry.core.window.Resolution;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * The aggregates the pipeline must hold, computed in SQL over a dump of the ledger's readings (DuckDB in memory), not by
 * telemetry-core's aggregation, which the pipeline itself runs: a bug shared by the processor and its own fold cannot
 * make both sides agree. Windows are epoch-aligned, {@code floor(ts / size) * size}; first and last are the values at
 * the smallest and largest (ts, seq, index in the message), as the telemetry contract defines them.
 */
final class IndependentExpectation {
    private static final String AGGREGATE = """
            SELECT device_id, r.label, (ts // r.millis) * r.millis AS window_start, metric,
                   count(*), sum(value), min(value), max(value),
                   min(ts), first(value ORDER BY ts, seq, idx), max(ts), last(value ORDER BY ts, seq, idx)
            FROM readings CROSS JOIN resolutions r
            GROUP BY device_id, r.label, r.millis, window_start, metric""";

    private IndependentExpectation() {}

    static Map<WindowMetricKey, Observed> of(List<LedgerEntry> messages, List<Resolution> resolutions) {
        return of(messages::forEach, resolutions);
    }

    /** As above, for messages handed over one by one (streamed from a ledger file, not held in memory). */
    static Map<WindowMetricKey, Observed> of(Consumer<Consumer<LedgerEntry>> messages, List<Resolution> resolutions) {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
                Statement s = c.createStatement()) {
            s.execute(
                    "CREATE TABLE readings (device_id VARCHAR, seq BIGINT, idx INTEGER, ts BIGINT, metric VARCHAR, value DOUBLE)");
            s.execute("CREATE TABLE resolutions (label VARCHAR, millis BIGINT)");
            DuckDBConnection duck = c.unwrap(DuckDBConnection.class);
            try (DuckDBAppender rows = duck.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "readings")) {
                messages.accept(m -> {
                    try {
                        append(rows, m);
                    } catch (SQLException e) {
                        throw new IllegalStateException(
                                "cannot load message " + m.deviceId() + "#" + m.seq() + " into DuckDB: "
                                        + e.getMessage(),
                                e);
                    }
                });
            }
            try (DuckDBAppender rows = duck.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "resolutions")) {
                for (Resolution r : resolutions) {
                    rows.beginRow();
                    rows.append(r.label());
                    rows.append(r.millis());
                    rows.endRow();
                }
            }
            Map<WindowMetricKey, Observed> out = new HashMap<>();
            try (ResultSet rs = s.executeQuery(AGGREGATE)) {
                while (rs.next()) {
                    out.put(
                            new WindowMetricKey(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4)),
                            new Observed(
                                    rs.getLong(5),
                                    rs.getDouble(6),
                                    rs.getDouble(7),
                                    rs.getDouble(8),
                                    rs.getLong(9),
                                    rs.getDouble(10),
                                    rs.getLong(11),
                                    rs.getDouble(12)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot compute the expected aggregates in DuckDB: " + e.getMessage(), e);
        }
    }

    private static void append(DuckDBAppender rows, LedgerEntry m) throws SQLException {
        for (int idx = 0; idx < m.readings().size(); idx++) {
            Reading reading = m.readings().get(idx);
            for (Map.Entry<String, Double> metric : reading.metrics().entrySet()) {
                rows.beginRow();
                rows.append(m.deviceId());
                rows.append(m.seq());
                rows.append(idx);
                rows.append(reading.ts());
                rows.append(metric.getKey());
                rows.append(metric.getValue().doubleValue());
                rows.endRow();
            }
        }
    }
}
