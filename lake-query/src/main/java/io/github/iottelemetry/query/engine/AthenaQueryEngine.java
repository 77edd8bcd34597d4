package io.github.iottelemetry.query.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.athena.AthenaClient;
import software.amazon.awssdk.services.athena.model.ColumnInfo;
import software.amazon.awssdk.services.athena.model.Datum;
import software.amazon.awssdk.services.athena.model.GetQueryResultsResponse;
import software.amazon.awssdk.services.athena.model.QueryExecution;
import software.amazon.awssdk.services.athena.model.QueryExecutionState;
import software.amazon.awssdk.services.athena.model.Row;

/**
 * The same queries on Amazon Athena: start in the stack's workgroup (which enforces the result
 * location and the bytes-scanned cutoff), poll with backoff, page through the results.
 */
public final class AthenaQueryEngine {
    private static final Duration FIRST_POLL = Duration.ofMillis(200);
    private static final Duration MAX_POLL = Duration.ofSeconds(3);

    private final AthenaClient athena;
    private final String workGroup;
    private final String database;

    /** What Athena reports about a finished query besides its rows. */
    public record Execution(String queryExecutionId, long dataScannedBytes, long engineMillis, QueryResult result) {}

    public AthenaQueryEngine(AthenaClient athena, String workGroup, String database) {
        this.athena = athena;
        this.workGroup = workGroup;
        this.database = database;
    }

    public Execution run(String sql, List<String> parameters, Duration timeout) {
        List<String> literals = new ArrayList<>();
        for (String p : parameters) {
            literals.add(literal(p));
        }
        String id = athena.startQueryExecution(b -> {
                    b.queryString(sql).workGroup(workGroup).queryExecutionContext(c -> c.database(database));
                    if (!literals.isEmpty()) {
                        b.executionParameters(literals);
                    }
                })
                .queryExecutionId();
        QueryExecution execution = awaitCompletion(id, timeout);
        QueryResult result = results(id);
        Long scanned =
                execution.statistics() == null ? null : execution.statistics().dataScannedInBytes();
        Long engine =
                execution.statistics() == null ? null : execution.statistics().engineExecutionTimeInMillis();
        return new Execution(id, scanned == null ? 0 : scanned, engine == null ? 0 : engine, result);
    }

    /** Athena's execution parameters are SQL literals: numbers as they are, text quoted. */
    static String literal(String value) {
        if (value.matches("-?\\d+(\\.\\d+)?")) {
            return value;
        }
        return "'" + value.replace("'", "''") + "'";
    }

    private QueryExecution awaitCompletion(String id, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Duration wait = FIRST_POLL;
        while (true) {
            QueryExecution e =
                    athena.getQueryExecution(b -> b.queryExecutionId(id)).queryExecution();
            QueryExecutionState state = e.status().state();
            if (state == QueryExecutionState.SUCCEEDED) {
                return e;
            }
            if (state == QueryExecutionState.FAILED || state == QueryExecutionState.CANCELLED) {
                throw new IllegalStateException("Athena query " + id + " in workgroup " + workGroup + " " + state + ": "
                        + e.status().stateChangeReason());
            }
            if (System.nanoTime() > deadline) {
                athena.stopQueryExecution(b -> b.queryExecutionId(id));
                throw new IllegalStateException(
                        "Athena query " + id + " still " + state + " after " + timeout + "; stopped it");
            }
            sleep(wait);
            wait = wait.multipliedBy(2).compareTo(MAX_POLL) > 0 ? MAX_POLL : wait.multipliedBy(2);
        }
    }

    private QueryResult results(String id) {
        List<String> columns = new ArrayList<>();
        List<List<Object>> rows = new ArrayList<>();
        boolean header = true;
        for (GetQueryResultsResponse page : athena.getQueryResultsPaginator(b -> b.queryExecutionId(id))) {
            if (columns.isEmpty()) {
                for (ColumnInfo c : page.resultSet().resultSetMetadata().columnInfo()) {
                    columns.add(c.name());
                }
            }
            for (Row row : page.resultSet().rows()) {
                if (header) { // a SELECT's first row repeats the column names
                    header = false;
                    continue;
                }
                List<Object> values = new ArrayList<>();
                for (Datum d : row.data()) {
                    values.add(d.varCharValue());
                }
                rows.add(values);
            }
        }
        return new QueryResult(columns, rows);
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Athena", e);
        }
    }
}
