package io.github.iottelemetry.processor.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * One JSON object a line for every log record of the processor and of KCL (through slf4j-jdk14), with the keys the
 * ingest function's Powertools logs use ({@code timestamp}, {@code level}, {@code service}, {@code message}), so one
 * CloudWatch Logs Insights query reads both: {@code fields level, service, message | filter level = "WARNING"}.
 */
public final class JsonLogFormatter extends Formatter {

    private static final JsonFactory JSON = new JsonFactory();

    private final String service;

    public JsonLogFormatter(String service) {
        this.service = service;
    }

    /**
     * Sends the root logger's records to standard error as JSON lines, unless the JVM was given its own logging
     * configuration ({@code -Djava.util.logging.config.file}) or {@code LOG_FORMAT=text} asks for plain lines.
     */
    static void install(String service) {
        if (System.getProperty("java.util.logging.config.file") != null
                || "text".equalsIgnoreCase(System.getenv("LOG_FORMAT"))) {
            return;
        }
        Logger root = LogManager.getLogManager().getLogger("");
        for (Handler handler : root.getHandlers()) {
            root.removeHandler(handler);
        }
        ConsoleHandler json = new ConsoleHandler();
        json.setFormatter(new JsonLogFormatter(service));
        root.addHandler(json);
    }

    @Override
    public String format(LogRecord record) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField(
                    "timestamp", Instant.ofEpochMilli(record.getMillis()).toString());
            json.writeStringField("level", record.getLevel().getName());
            json.writeStringField("service", service);
            json.writeStringField("logger", record.getLoggerName());
            json.writeStringField("message", formatMessage(record));
            if (record.getThrown() != null) {
                StringWriter trace = new StringWriter();
                record.getThrown().printStackTrace(new PrintWriter(trace));
                json.writeStringField("error", record.getThrown().toString());
                json.writeStringField("stack_trace", trace.toString());
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a log record as JSON", e);
        }
        return out.append(System.lineSeparator()).toString();
    }
}
