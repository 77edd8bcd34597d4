package io.github.iottelemetry.localcloud.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.DoubleAdder;

/**
 * What CloudWatch does with a Lambda function's output, for the functions this JVM hosts: the runtime sends the
 * function's stdout to CloudWatch Logs, which turns each embedded-metric-format line (a JSON object with an
 * {@code _aws} member, what Powertools Metrics prints with {@code AWS_EMF_ENVIRONMENT=Local}, as on Lambda) into
 * metrics. Here those lines leave the terminal for {@code <state>/logs/lambda/embedded-metrics.log}, and each
 * metric's values are summed by name and dimensions (the default {@code Service} dimension left out), so the console
 * shows the function's own counts: valid, quarantined by reason, duplicates.
 *
 * <p>Installed once per JVM (stdout is the JVM's), by the first local event source mapping; every other line of
 * stdout passes through unchanged, a partial line when stdout is flushed.
 */
public final class EmbeddedMetricsCapture {

    private static final byte[] PREFIX = "{\"_aws\"".getBytes(StandardCharsets.UTF_8);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static EmbeddedMetricsCapture installed;

    private final Map<String, DoubleAdder> sums = new ConcurrentSkipListMap<>();
    private final Path log;
    private long lines;
    private long unreadable;

    EmbeddedMetricsCapture(Path log) {
        this.log = log;
    }

    /** Captures this JVM's embedded-metric lines from now on (the first call's log file is kept). */
    public static synchronized EmbeddedMetricsCapture install(Path log) {
        if (installed == null) {
            installed = new EmbeddedMetricsCapture(log);
            PrintStream original = System.out;
            System.setOut(new PrintStream(filter(original, installed), true, StandardCharsets.UTF_8));
        }
        return installed;
    }

    /** Whether Powertools (the embedded-metrics library) in this JVM prints its lines to stdout, as on Lambda. */
    public static boolean metricsGoToStdout() {
        String environment = System.getenv("AWS_EMF_ENVIRONMENT");
        return environment != null && environment.equalsIgnoreCase("Local");
    }

    /**
     * The sum of every metric seen, keyed {@code Name} or {@code Name{Dimension=value,...}}, plus {@code lines} and
     * {@code unreadableLines}.
     */
    public synchronized Map<String, Object> snapshot() {
        Map<String, Object> values = new TreeMap<>();
        sums.forEach((name, sum) -> values.put(name, sum.sum()));
        values.put("lines", lines);
        values.put("unreadableLines", unreadable);
        return values;
    }

    /** One embedded-metric line: sums its metrics; a line that is not valid EMF is counted and kept in the log. */
    void accept(byte[] line) {
        appendToLog(line);
        try {
            record(JSON.readTree(line));
            synchronized (this) {
                lines++;
            }
        } catch (IOException | RuntimeException e) {
            synchronized (this) {
                unreadable++;
            }
        }
    }

    void record(JsonNode document) {
        for (JsonNode directive : document.path("_aws").path("CloudWatchMetrics")) {
            List<String> dimensions = new ArrayList<>();
            for (JsonNode set : directive.path("Dimensions")) {
                for (JsonNode dimension : set) {
                    String name = dimension.asText();
                    if (!name.equals("Service") && !dimensions.contains(name)) {
                        dimensions.add(name);
                    }
                }
            }
            StringBuilder suffix = new StringBuilder();
            for (String dimension : dimensions) {
                suffix.append(suffix.length() == 0 ? "{" : ",")
                        .append(dimension)
                        .append('=')
                        .append(document.path(dimension).asText());
            }
            if (suffix.length() > 0) {
                suffix.append('}');
            }
            for (JsonNode metric : directive.path("Metrics")) {
                String name = metric.path("Name").asText();
                JsonNode value = document.path(name);
                double total = 0;
                if (value.isArray()) {
                    for (JsonNode v : value) {
                        total += v.asDouble();
                    }
                } else {
                    total = value.asDouble();
                }
                sums.computeIfAbsent(name + suffix, k -> new DoubleAdder()).add(total);
            }
        }
    }

    private synchronized void appendToLog(byte[] line) {
        try {
            Files.createDirectories(log.getParent());
            try (OutputStream out = Files.newOutputStream(log, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
                out.write(line);
                out.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + log, e);
        }
    }

    /** What stands in for stdout: embedded-metric lines to {@code capture}, everything else to {@code target}. */
    static OutputStream filter(PrintStream target, EmbeddedMetricsCapture capture) {
        return new LineFilter(target, capture);
    }

    /** Splits stdout into lines: embedded-metric lines go to the capture, the rest to the real stdout as it comes. */
    private static final class LineFilter extends OutputStream {
        private final PrintStream target;
        private final EmbeddedMetricsCapture capture;
        private final ByteArrayOutputStream held = new ByteArrayOutputStream(256);
        /** Bytes of the line that matched the prefix so far; -1 once the line is known not to be a metric line. */
        private int matched;

        LineFilter(PrintStream target, EmbeddedMetricsCapture capture) {
            this.target = target;
            this.capture = capture;
        }

        @Override
        public synchronized void write(int b) {
            if (b == '\n') {
                endLine();
            } else if (matched < 0) {
                target.write(b);
            } else if (matched >= PREFIX.length || (byte) b == PREFIX[matched]) {
                held.write(b);
                matched = Math.min(PREFIX.length, matched + 1);
            } else {
                held.write(b);
                release();
            }
        }

        @Override
        public synchronized void write(byte[] bytes, int offset, int length) {
            for (int i = offset; i < offset + length; i++) {
                write(bytes[i]);
            }
        }

        @Override
        public synchronized void flush() {
            if (matched >= 0 && matched < PREFIX.length && held.size() > 0) {
                release();
            }
            target.flush();
        }

        private void endLine() {
            byte[] bytes = held.toByteArray();
            held.reset();
            boolean metric = matched == PREFIX.length;
            matched = 0;
            if (metric) {
                try {
                    capture.accept(bytes);
                    return;
                } catch (RuntimeException e) {
                    // Cannot log it: the line goes to stdout after all.
                }
            }
            target.write(bytes, 0, bytes.length);
            target.write('\n');
        }

        /** The held start of the line is not a metric line's: out it goes, and the rest of the line follows as it comes. */
        private void release() {
            byte[] bytes = held.toByteArray();
            held.reset();
            target.write(bytes, 0, bytes.length);
            matched = -1;
        }
    }
}
