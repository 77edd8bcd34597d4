package io.github.iottelemetry.template;

import java.util.Optional;

/**
 * A template that cannot be read or resolved. The message always starts with where the problem is
 * ({@code template.yaml:42 resource IngestFunction:}) followed by what is wrong and why, so a user can
 * go straight to the line.
 */
public final class TemplateException extends RuntimeException {

    private final String sourceName;
    private final int line;
    private final String element;

    TemplateException(String sourceName, int line, String element, String problem) {
        this(sourceName, line, element, problem, null);
    }

    TemplateException(String sourceName, int line, String element, String problem, Throwable cause) {
        super(location(sourceName, line, element) + ": " + problem, cause);
        this.sourceName = sourceName;
        this.line = line;
        this.element = element;
    }

    private static String location(String sourceName, int line, String element) {
        String where = line > 0 ? sourceName + ":" + line : sourceName;
        return element == null ? where : where + " " + element;
    }

    /** The file (or other source name) the template was loaded from. */
    public String sourceName() {
        return sourceName;
    }

    /** The 1-based line of the problem, or 0 when it has no single line (for example a missing section). */
    public int line() {
        return line;
    }

    /**
     * The template element that holds the problem, such as {@code resource IngestFunction} or
     * {@code parameter Environment}; empty for problems of the file as a whole.
     */
    public Optional<String> element() {
        return Optional.ofNullable(element);
    }
}
