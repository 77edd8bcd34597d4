package io.github.iottelemetry.iotrules;

/**
 * A rule's SQL (or a substitution template) that does not parse, with the 1-based line and column of
 * the offending character, so {@code pipeline up} can say which rule to fix and where.
 */
public final class IotSqlParseException extends RuntimeException {

    private final int line;
    private final int column;
    private final String reason;

    public IotSqlParseException(String reason, int line, int column) {
        super(formatPosition(line, column) + ": " + reason);
        this.line = line;
        this.column = column;
        this.reason = reason;
    }

    /** Builds the exception for a 0-based character offset into {@code source}. */
    public static IotSqlParseException at(String source, int offset, String reason) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < Math.min(offset, source.length()); i++) {
            if (source.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return new IotSqlParseException(reason, line, offset - lineStart + 1);
    }

    /** "col 23" for one-line SQL (the usual case in a template), "line 2, col 5" otherwise. */
    private static String formatPosition(int line, int column) {
        return line == 1 ? "col " + column : "line " + line + ", col " + column;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }

    /** The message without the position. */
    public String reason() {
        return reason;
    }
}
