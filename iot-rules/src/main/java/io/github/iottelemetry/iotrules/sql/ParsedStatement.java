package io.github.iottelemetry.iotrules.sql;

/** A whole rule statement: SELECT, the optional FROM topic filter (null for Basic-Ingest-only rules), optional WHERE. */
public record ParsedStatement(SelectClause select, String fromTopicFilter, int fromOffset, Expression where) {}
