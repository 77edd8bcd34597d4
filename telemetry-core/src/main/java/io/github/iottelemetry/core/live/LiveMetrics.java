package io.github.iottelemetry.core.live;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A local process's own counters, published for the console: every second the process replaces
 * {@code <folder>/<process>.json} (written aside, then moved over the old one, so a reader never sees half a file)
 * with {@code {"process": name, "pid": n, "at": epochMillis, "stopped": bool, "values": {...}}}, where
 * {@code values} is what the process's supplier returns: nested maps of numbers and strings.
 *
 * <p>Only on the local cloud, which puts {@value #FOLDER_VARIABLE} in the environment of what it starts; on AWS the
 * variable is absent and nothing is written (a Fargate task's filesystem is read-only), and the same numbers go out
 * as CloudWatch metrics.
 */
public final class LiveMetrics implements AutoCloseable {

    /** The folder the local cloud's processes publish into ({@code <state>/live-metrics}). */
    public static final String FOLDER_VARIABLE = "LIVE_METRICS_DIR";

    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);

    private static final JsonFactory JSON = new JsonFactory();

    private final Path file;
    private final String process;
    private final Supplier<Map<String, ?>> values;
    private final ScheduledExecutorService timer;
    private volatile boolean closed;

    private LiveMetrics(Path file, String process, Supplier<Map<String, ?>> values, Duration interval) {
        this.file = file;
        this.process = process;
        this.values = values;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "live-metrics-" + process);
            t.setDaemon(true);
            return t;
        });
        long millis = Math.max(50, interval.toMillis());
        timer.scheduleWithFixedDelay(this::publishQuietly, 0, millis, TimeUnit.MILLISECONDS);
    }

    /** Publishes {@code values} as {@code process} into {@code folder} every {@code interval} until closed. */
    public static LiveMetrics publish(Path folder, String process, Supplier<Map<String, ?>> values, Duration interval) {
        if (!process.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException(
                    "live metrics process name '" + process + "': use letters, digits, '.', '_' or '-'");
        }
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the live metrics folder " + folder, e);
        }
        return new LiveMetrics(folder.resolve(process + ".json"), process, values, interval);
    }

    /** Publishes when the environment names a folder ({@value #FOLDER_VARIABLE}); otherwise nothing. */
    public static Optional<LiveMetrics> publishIfConfigured(
            Map<String, String> environment, String process, Supplier<Map<String, ?>> values) {
        String folder = environment.get(FOLDER_VARIABLE);
        if (folder == null || folder.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(publish(Path.of(folder), process, values, DEFAULT_INTERVAL));
    }

    public Path file() {
        return file;
    }

    /** Writes the last values with {@code "stopped": true}, so a reader tells a stopped process from a hung one. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        timer.shutdown();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        write(true);
    }

    private void publishQuietly() {
        if (closed) {
            return;
        }
        try {
            write(false);
        } catch (RuntimeException e) {
            // A missed second is shown by the reader as a stale snapshot; the process itself goes on.
            System.err.println("live metrics: cannot write " + file + ": " + e.getMessage());
        }
    }

    private synchronized void write(boolean stopped) {
        Path aside = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(aside);
                    JsonGenerator json = JSON.createGenerator(out, JsonEncoding.UTF8)) {
                json.writeStartObject();
                json.writeStringField("process", process);
                json.writeNumberField("pid", ProcessHandle.current().pid());
                json.writeNumberField("at", System.currentTimeMillis());
                json.writeBooleanField("stopped", stopped);
                json.writeFieldName("values");
                writeValue(json, values.get());
                json.writeEndObject();
            }
            try {
                Files.move(aside, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(aside, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write live metrics " + file, e);
        }
    }

    private static void writeValue(JsonGenerator json, Object value) throws IOException {
        if (value == null) {
            json.writeNull();
        } else if (value instanceof Map<?, ?> map) {
            json.writeStartObject();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                json.writeFieldName(String.valueOf(e.getKey()));
                writeValue(json, e.getValue());
            }
            json.writeEndObject();
        } else if (value instanceof Collection<?> list) {
            json.writeStartArray();
            for (Object item : list) {
                writeValue(json, item);
            }
            json.writeEndArray();
        } else if (value instanceof Long || value instanceof Integer) {
            json.writeNumber(((Number) value).longValue());
        } else if (value instanceof Number n) {
            double d = n.doubleValue();
            if (Double.isFinite(d)) {
                json.writeNumber(d);
            } else {
                json.writeNull();
            }
        } else if (value instanceof Boolean b) {
            json.writeBoolean(b);
        } else {
            json.writeString(value.toString());
        }
    }
}
