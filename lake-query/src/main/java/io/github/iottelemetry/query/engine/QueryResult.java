package io.github.iottelemetry.query.engine;

import java.util.List;

/** Rows of a query, with the column names; values are strings, numbers, or null. */
public record QueryResult(List<String> columns, List<List<Object>> rows) {}
