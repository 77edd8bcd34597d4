package io.github.iottelemetry.processor.replay;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.github.iottelemetry.core.lake.LakeLayout;
import io.github.iottelemetry.core.window.Resolution;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** What a replay read, skipped and wrote: printed as text or JSON at its end. */
public final class ReplaySummary {
    /** Skips that are not problems of the input: a message seen before on its shard, a record archived twice. */
    public static final String DUPLICATE = "DUPLICATE";

    public static final String ARCHIVED_TWICE = "ARCHIVED_TWICE";
    private static final int PROBLEMS_LISTED = 100;

    private final HourRange range;
    private final String bucket;
    private final List<Resolution> resolutions;
    private final Set<String> devices;
    private final boolean dryRun;

    long objects;
    long lines;
    long records;
    long valid;
    long otherDevices;
    long messagesFolded;
    long windows;
    long itemsChanged;
    long itemsUpToDate;
    long millis;
    final Set<String> lakeObjects = new TreeSet<>();
    final Map<String, Long> skipped = new TreeMap<>();
    final Map<String, long[]> shards = new TreeMap<>(); // shard -> {records, windows}
    final List<String> problems = new ArrayList<>();
    private long rawProblems;

    ReplaySummary(HourRange range, String bucket, List<Resolution> resolutions, Set<String> devices, boolean dryRun) {
        this.range = range;
        this.bucket = bucket;
        this.resolutions = List.copyOf(resolutions);
        this.devices = new TreeSet<>(devices);
        this.dryRun = dryRun;
    }

    void skip(String reason) {
        skipped.merge(reason, 1L, Long::sum);
    }

    void problem(RawInputProblem problem, String message) {
        skip(problem.name());
        rawProblems++;
        if (problems.size() < PROBLEMS_LISTED) {
            problems.add(message);
        }
    }

    /** Objects and lines skipped because they could not be read as archived records: the replay then exits non-zero. */
    public long rawProblems() {
        return rawProblems;
    }

    public long objects() {
        return objects;
    }

    public long records() {
        return records;
    }

    public long valid() {
        return valid;
    }

    public long windows() {
        return windows;
    }

    public long itemsChanged() {
        return itemsChanged;
    }

    public long itemsUpToDate() {
        return itemsUpToDate;
    }

    public Set<String> lakeObjects() {
        return Set.copyOf(lakeObjects);
    }

    public Map<String, Long> skipped() {
        return Map.copyOf(skipped);
    }

    public String text() {
        StringBuilder out = new StringBuilder();
        out.append("replay of s3://")
                .append(bucket)
                .append('/')
                .append(LakeLayout.RAW_PREFIX)
                .append(" hours ")
                .append(range)
                .append(" (")
                .append(range.hours())
                .append(range.hours() == 1 ? " hour" : " hours")
                .append("), resolutions ")
                .append(labels())
                .append(devices.isEmpty() ? "" : ", devices " + String.join(",", devices))
                .append(dryRun ? ", dry run: nothing written" : "")
                .append('\n');
        line(
                out,
                "read",
                n(objects) + " objects, " + n(lines) + " lines, " + n(records) + " records on " + shards.size()
                        + (shards.size() == 1 ? " shard" : " shards"));
        line(
                out,
                "records",
                n(valid) + " valid" + (devices.isEmpty() ? "" : " (" + n(otherDevices) + " of other devices left out)")
                        + ", " + n(messagesFolded) + " messages folded");
        line(
                out,
                "skipped",
                skipped.isEmpty()
                        ? "none"
                        : skipped.entrySet().stream()
                                .map(e -> e.getKey() + " " + n(e.getValue()))
                                .collect(Collectors.joining(", ")));
        if (dryRun) {
            line(out, "windows", n(windows) + " would be written (dry run)");
        } else {
            line(
                    out,
                    "windows",
                    n(windows) + " written: DynamoDB " + n(itemsChanged) + " items changed, " + n(itemsUpToDate)
                            + " already up to date; " + n(lakeObjects.size()) + " lake objects written");
        }
        line(out, "took", String.format(Locale.ROOT, "%.1f s", millis / 1000.0));
        if (rawProblems > 0) {
            line(
                    out,
                    "problems",
                    n(rawProblems) + " objects or lines could not be read (listed above"
                            + (rawProblems > problems.size() ? ", the first " + problems.size() + " in --json" : "")
                            + ")");
        }
        return out.toString();
    }

    public String json() {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(w).useDefaultPrettyPrinter()) {
            g.writeStartObject();
            g.writeStringField("bucket", bucket);
            g.writeStringField("from", HourRange.format(range.first()));
            g.writeStringField("to", HourRange.format(range.last()));
            g.writeStringField("resolutions", labels());
            g.writeArrayFieldStart("devices");
            for (String d : devices) {
                g.writeString(d);
            }
            g.writeEndArray();
            g.writeBooleanField("dryRun", dryRun);
            g.writeNumberField("objectsRead", objects);
            g.writeNumberField("lines", lines);
            g.writeNumberField("records", records);
            g.writeNumberField("valid", valid);
            g.writeNumberField("otherDevices", otherDevices);
            g.writeNumberField("messagesFolded", messagesFolded);
            g.writeObjectFieldStart("skipped");
            for (Map.Entry<String, Long> e : skipped.entrySet()) {
                g.writeNumberField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
            g.writeNumberField("windowsWritten", dryRun ? 0 : windows);
            g.writeNumberField("windowsFolded", windows);
            g.writeNumberField("dynamoItemsChanged", itemsChanged);
            g.writeNumberField("dynamoItemsUpToDate", itemsUpToDate);
            g.writeNumberField("lakeObjectsWritten", lakeObjects.size());
            g.writeObjectFieldStart("shards");
            for (Map.Entry<String, long[]> e : shards.entrySet()) {
                g.writeObjectFieldStart(e.getKey());
                g.writeNumberField("records", e.getValue()[0]);
                g.writeNumberField("windows", e.getValue()[1]);
                g.writeEndObject();
            }
            g.writeEndObject();
            g.writeNumberField("rawProblems", rawProblems);
            g.writeArrayFieldStart("problems");
            for (String p : problems) {
                g.writeString(p);
            }
            g.writeEndArray();
            g.writeNumberField("millis", millis);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w + "\n";
    }

    private String labels() {
        return resolutions.stream().map(Resolution::label).collect(Collectors.joining(","));
    }

    private static void line(StringBuilder out, String label, String text) {
        out.append(String.format(Locale.ROOT, "  %-10s %s%n", label, text));
    }

    private static String n(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }
}
