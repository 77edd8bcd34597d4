package io.github.iottelemetry.processor.metrics;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * How long after a window closes its aggregate is durable, per output: a window closes when event time has passed
 * its end plus the allowed lateness, so the lag is {@code durable at - (window end + allowed lateness)}, measured
 * on the worker's clock for DynamoDB and for the lake separately (not ingest time to durable, which includes the
 * window itself). A window written before it closed (an idle shard, a long-open window's partial write) adds
 * nothing. Every {@code interval} the samples go out as CloudWatch embedded-metric-format lines (metric
 * {@value #METRIC}, dimension {@code Output}; CloudWatch computes p50/p99 from the values) and as one readable
 * summary line; on ECS both reach CloudWatch Logs, which turns the first into metrics.
 */
public final class CloseToDurableLag {

    public static final String METRIC = "WindowCloseToDurable";
    /** CloudWatch takes at most 100 values of one metric in one embedded-metric-format object. */
    private static final int VALUES_PER_LINE = 100;

    private static final JsonFactory JSON = new JsonFactory();

    public enum Output {
        DYNAMODB("DynamoDB"),
        LAKE("Lake");

        private final String dimension;

        Output(String dimension) {
            this.dimension = dimension;
        }

        /** The metric's {@code Output} dimension value: DynamoDB or Lake. */
        public String dimension() {
            return dimension;
        }
    }

    private final String namespace;
    private final long intervalMillis;
    private final PrintStream metricsSink;
    private final Consumer<String> summarySink;
    private final Map<Output, List<Long>> samples = new EnumMap<>(Output.class);
    private long windowStartedAt = -1;

    public CloseToDurableLag(
            String namespace, Duration interval, PrintStream metricsSink, Consumer<String> summarySink) {
        this.namespace = namespace;
        this.intervalMillis = interval.toMillis();
        this.metricsSink = metricsSink;
        this.summarySink = summarySink;
        for (Output output : Output.values()) {
            samples.put(output, new ArrayList<>());
        }
    }

    /**
     * Window {@code i}, ready at {@code readyAt[i]}, became durable in DynamoDB at {@code inTable[i]} and in the lake at
     * {@code inLake[i]}; both go into the same interval.
     */
    public synchronized void durable(List<Long> readyAt, List<Long> inTable, List<Long> inLake) {
        add(readyAt, Output.DYNAMODB, inTable);
        durable(readyAt, Output.LAKE, inLake);
    }

    /** Window {@code i}, ready at {@code readyAt[i]}, became durable in {@code output} at {@code durableAt[i]}. */
    public synchronized void durable(List<Long> readyAt, Output output, List<Long> durableAt) {
        if (readyAt.isEmpty()) {
            return;
        }
        long latest = add(readyAt, output, durableAt);
        if (windowStartedAt < 0) {
            windowStartedAt = latest;
        } else if (latest - windowStartedAt >= intervalMillis) {
            flush(latest);
        }
    }

    /** Adds the samples; returns the latest durable time. */
    private long add(List<Long> readyAt, Output output, List<Long> durableAt) {
        if (readyAt.size() != durableAt.size()) {
            throw new IllegalArgumentException(
                    readyAt.size() + " windows ready but " + durableAt.size() + " durable times");
        }
        long latest = Long.MIN_VALUE;
        for (int i = 0; i < readyAt.size(); i++) {
            long ready = readyAt.get(i);
            long at = durableAt.get(i);
            latest = Math.max(latest, at);
            if (at >= ready) {
                samples.get(output).add(at - ready);
            }
        }
        return latest;
    }

    /** Sends what was measured since the last flush (also called at shutdown). */
    public synchronized void flush(long now) {
        List<String> parts = new ArrayList<>();
        for (Output output : Output.values()) {
            List<Long> values = samples.get(output);
            if (values.isEmpty()) {
                continue;
            }
            for (int from = 0; from < values.size(); from += VALUES_PER_LINE) {
                metricsSink.println(embeddedMetric(
                        output, values.subList(from, Math.min(values.size(), from + VALUES_PER_LINE)), now));
            }
            List<Long> sorted = new ArrayList<>(values);
            sorted.sort(null);
            parts.add(String.format(
                    Locale.ROOT,
                    "%s p50 %d ms, p99 %d ms (%d windows)",
                    output.dimension,
                    percentile(sorted, 0.50),
                    percentile(sorted, 0.99),
                    sorted.size()));
            values.clear();
        }
        metricsSink.flush();
        if (!parts.isEmpty()) {
            summarySink.accept("window close -> durable: " + String.join("; ", parts));
        }
        windowStartedAt = now;
    }

    /** The value at rank ceil(q * n) (nearest rank). */
    public static long percentile(List<Long> sorted, double q) {
        int rank = (int) Math.ceil(q * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    private String embeddedMetric(Output output, List<Long> values, long now) {
        StringWriter out = new StringWriter(64 + values.size() * 6);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeObjectFieldStart("_aws");
            json.writeNumberField("Timestamp", now);
            json.writeArrayFieldStart("CloudWatchMetrics");
            json.writeStartObject();
            json.writeStringField("Namespace", namespace);
            json.writeArrayFieldStart("Dimensions");
            json.writeStartArray();
            json.writeString("Output");
            json.writeEndArray();
            json.writeEndArray();
            json.writeArrayFieldStart("Metrics");
            json.writeStartObject();
            json.writeStringField("Name", METRIC);
            json.writeStringField("Unit", "Milliseconds");
            json.writeEndObject();
            json.writeEndArray();
            json.writeEndObject();
            json.writeEndArray();
            json.writeEndObject();
            json.writeStringField("Output", output.dimension);
            json.writeArrayFieldStart(METRIC);
            for (long value : values) {
                json.writeNumber(value);
            }
            json.writeEndArray();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write an embedded metric", e);
        }
        return out.toString();
    }
}
