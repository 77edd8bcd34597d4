package io.github.iottelemetry.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The Flow view: what the local processes' own counters say (the snapshots they publish every second into the
 * live-metrics folder: {@code local-cloud.json} with IoT Core and the event source mappings, one
 * {@code processor-<worker>.json} per stream-processor worker), as stages with totals, per-second rates and health,
 * per-shard progress, the quarantine by reason and the window close -> durable lag.
 *
 * <p>Totals add up every snapshot in the folder, stopped processes included (the local cloud empties the folder when
 * it starts), so a worker that stops does not make a total fall. A rate is the change of a total over the time
 * between two reads; health is {@code down} when the process behind a stage published nothing for
 * {@value #STALE_MILLIS} ms, {@code failing} when one of its failure counters rose in the last
 * {@value #RECENT_MILLIS} ms, {@code idle} when nothing moved then, else {@code ok}.
 */
public final class FlowModel {

    static final long STALE_MILLIS = 5_000;
    static final long RECENT_MILLIS = 10_000;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Path folder;
    /** Per counter key: recent (time, total) pairs, newest last. */
    private final Map<String, Deque<long[]>> history = new HashMap<>();

    public FlowModel(Path folder) {
        this.folder = folder;
    }

    /** A snapshot file as published by {@code LiveMetrics}. */
    record Snapshot(String process, long pid, long at, boolean stopped, JsonNode values) {
        boolean live(long now) {
            return !stopped && now - at <= STALE_MILLIS;
        }
    }

    /** Devices connected to the local broker now, as IoT Core last published it (rates and history untouched). */
    public synchronized Long connectedDevices(long now) {
        return snapshots().stream()
                .filter(s -> s.process().equals("local-cloud") && s.live(now))
                .findFirst()
                .map(s -> s.values().path("iot").path("connected").asLong())
                .orElse(null);
    }

    /** Reads the folder now and returns the Flow view's JSON (see the class comment). */
    public synchronized ObjectNode read(long now) {
        List<Snapshot> snapshots = snapshots();
        Snapshot cloud = snapshots.stream()
                .filter(s -> s.process().equals("local-cloud"))
                .findFirst()
                .orElse(null);
        List<Snapshot> workers = snapshots.stream()
                .filter(s -> s.process().startsWith("processor-"))
                .toList();
        JsonNode iot = cloud == null ? NODES.objectNode() : cloud.values().path("iot");
        JsonNode lambda = cloud == null ? NODES.objectNode() : cloud.values().path("lambda");
        boolean cloudLive = cloud != null && cloud.live(now);

        ObjectNode flow = NODES.objectNode();
        flow.put("at", now);
        flow.put("folder", folder.toString());
        ArrayNode stages = flow.putArray("stages");

        // IoT Core: the broker, then the rules and their actions.
        Stage broker = new Stage("broker", "IoT Core (MQTT broker)", cloud == null ? null : cloudLive, now);
        broker.gauge("connected", "devices connected", iot.path("connected").asLong());
        broker.counter("connectionsAccepted", "connections accepted", iot.path("connectionsAccepted"), false);
        broker.counter("connectionsRefused", "connections refused", iot.path("connectionsRefused"), false);
        broker.counter("publishesAccepted", "publishes accepted", iot.path("publishesAccepted"), false);
        broker.counter("publishesRefused", "publishes refused (policy)", iot.path("publishesRefused"), false);
        stages.add(broker.json(now, "publishesAccepted"));

        long queued = 0;
        long put = 0;
        long refused = 0;
        int shardCount = 0;
        for (JsonNode shards : iot.path("kinesis")) {
            for (JsonNode shard : shards) {
                queued += shard.path("queued").asLong();
                put += shard.path("put").asLong();
                refused += shard.path("refused").asLong();
                shardCount++;
            }
        }
        Stage rules = new Stage("rules", "IoT Rules", cloud == null ? null : cloudLive, now);
        rules.counter("ruleInvocations", "rule matches", iot.path("ruleInvocations"), false);
        rules.counter("ruleEvaluationErrors", "rule evaluation errors", iot.path("ruleEvaluationErrors"), true);
        rules.counter("actionsSucceeded", "actions succeeded", iot.path("actionsSucceeded"), false);
        rules.counter("actionsFailed", "actions failed", iot.path("actionsFailed"), true);
        rules.counter("errorActionsSucceeded", "to the error action", iot.path("errorActionsSucceeded"), true);
        rules.counter("undeliverable", "undeliverable", iot.path("undeliverable"), true);
        rules.gauge("queued", "queued for Kinesis", queued);
        stages.add(rules.json(now, "ruleInvocations"));

        Stage kinesis = new Stage("kinesis", "Kinesis stream", cloud == null ? null : cloudLive, now);
        kinesis.counter("recordsPut", "records put", NODES.numberNode(put), false);
        kinesis.counter("putRefused", "puts refused (retried)", NODES.numberNode(refused), false);
        kinesis.gauge("shards", "shards written", shardCount);
        stages.add(kinesis.json(now, "recordsPut"));

        // The ingest function behind its event source mappings, and its own embedded metrics.
        long[] esm = new long[7];
        for (JsonNode m : lambda.path("mappings")) {
            esm[0] += m.path("invocations").asLong();
            esm[1] += m.path("recordsRead").asLong();
            esm[2] += m.path("recordsSucceeded").asLong();
            esm[3] += m.path("functionErrors").asLong();
            esm[4] += m.path("bisections").asLong();
            esm[5] += m.path("retries").asLong();
            esm[6] += m.path("recordsDiscarded").asLong();
        }
        JsonNode fm = lambda.path("functionMetrics");
        Stage ingest = new Stage(
                "ingest",
                "Ingest Lambda",
                cloud == null ? null : cloudLive && lambda.path("mappings").size() > 0,
                now);
        ingest.counter("invocations", "batches", NODES.numberNode(esm[0]), false);
        ingest.counter("recordsRead", "records read", NODES.numberNode(esm[1]), false);
        ingest.counter(
                "validRecords",
                "valid",
                NODES.numberNode(fm.path("ValidRecords").asLong()),
                false);
        ingest.counter(
                "quarantinedRecords",
                "quarantined",
                NODES.numberNode(fm.path("QuarantinedRecords").asLong()),
                false);
        ingest.counter(
                "duplicateRecords",
                "duplicates",
                NODES.numberNode(fm.path("DuplicateRecords").asLong()),
                false);
        ingest.counter("functionErrors", "function errors", NODES.numberNode(esm[3]), true);
        ingest.counter("bisections", "bisections", NODES.numberNode(esm[4]), false);
        ingest.counter("retries", "retried batches", NODES.numberNode(esm[5]), false);
        ingest.counter("onFailure", "to the on-failure destination", NODES.numberNode(esm[6]), true);
        stages.add(ingest.json(now, "recordsRead"));

        long workersLive = workers.stream().filter(w -> w.live(now)).count();
        long recordsRead = 0;
        long windows = 0;
        long writeFailures = 0;
        for (Snapshot w : workers) {
            recordsRead += w.values().path("recordsRead").asLong();
            windows += w.values().path("windowsWritten").asLong();
            writeFailures += w.values().path("writeFailures").asLong();
        }
        Stage processor =
                new Stage("processor", "Stream processor (KCL)", workers.isEmpty() ? null : workersLive > 0, now);
        processor.gauge("workers", "workers running", workersLive);
        processor.counter("recordsRead", "records read", NODES.numberNode(recordsRead), false);
        processor.counter("windowsWritten", "windows written", NODES.numberNode(windows), false);
        processor.counter("writeFailures", "failed writes (retried)", NODES.numberNode(writeFailures), true);
        stages.add(processor.json(now, "recordsRead"));

        flow.set("shards", shards(iot, lambda, workers, now));

        ArrayNode quarantine = flow.putArray("quarantineByReason");
        Iterator<Map.Entry<String, JsonNode>> metrics = fm.fields();
        while (metrics.hasNext()) {
            Map.Entry<String, JsonNode> e = metrics.next();
            String prefix = "QuarantinedByReason{Reason=";
            if (e.getKey().startsWith(prefix) && e.getKey().endsWith("}")) {
                String reason = e.getKey().substring(prefix.length(), e.getKey().length() - 1);
                ObjectNode row = quarantine.addObject();
                row.put("reason", reason);
                long total = e.getValue().asLong();
                row.put("total", total);
                putRate(row, "quarantine." + reason, total, now);
            }
        }
        flow.set("lag", lag(workers));
        forgetOld(now);
        return flow;
    }

    private ArrayNode shards(JsonNode iot, JsonNode lambda, List<Snapshot> workers, long now) {
        Map<String, ObjectNode> rows = new TreeMap<>();
        for (JsonNode stream : iot.path("kinesis")) {
            stream.fields().forEachRemaining(e -> {
                ObjectNode row = rows.computeIfAbsent(e.getKey(), this::shardRow);
                long total = e.getValue().path("put").asLong();
                ObjectNode p = row.putObject("put");
                p.put("total", total);
                putRate(p, "shard.put." + e.getKey(), total, now);
                row.put("queued", e.getValue().path("queued").asLong());
            });
        }
        Map<String, long[]> ingest = new TreeMap<>();
        for (JsonNode m : lambda.path("mappings")) {
            m.path("shards").fields().forEachRemaining(e -> {
                long[] v = ingest.computeIfAbsent(e.getKey(), k -> new long[] {0, -1});
                v[0] += e.getValue().path("recordsRead").asLong();
                v[1] = Math.max(v[1], e.getValue().path("iteratorAgeMs").asLong(-1));
            });
        }
        ingest.forEach((shard, v) -> rows.computeIfAbsent(shard, this::shardRow)
                .set("ingest", consumer("shard.ingest." + shard, v[0], v[1], now)));
        Map<String, long[]> processed = new TreeMap<>();
        for (Snapshot w : workers) {
            w.values().path("shards").fields().forEachRemaining(e -> {
                long[] v = processed.computeIfAbsent(e.getKey(), k -> new long[] {0, -1, 0});
                v[0] += e.getValue().path("recordsRead").asLong();
                // The shard's iterator age is its current owner's; the newest snapshot's if none owns it now.
                boolean owner = e.getValue().path("owned").asBoolean() && w.live(now);
                if (owner || v[2] == 0) {
                    v[1] = e.getValue().path("iteratorAgeMs").asLong(-1);
                    v[2] = owner ? 1 : 0;
                }
            });
        }
        processed.forEach((shard, v) -> rows.computeIfAbsent(shard, this::shardRow)
                .set("processor", consumer("shard.processor." + shard, v[0], v[1], now)));
        ArrayNode out = NODES.arrayNode();
        rows.values().forEach(out::add);
        return out;
    }

    private ObjectNode shardRow(String shard) {
        ObjectNode row = NODES.objectNode();
        row.put("shard", shard);
        row.putNull("put");
        row.putNull("queued");
        row.putNull("ingest");
        row.putNull("processor");
        return row;
    }

    private ObjectNode consumer(String key, long total, long iteratorAge, long now) {
        ObjectNode c = NODES.objectNode();
        c.put("total", total);
        putRate(c, key, total, now);
        if (iteratorAge >= 0) {
            c.put("iteratorAgeMs", iteratorAge);
        } else {
            c.putNull("iteratorAgeMs");
        }
        return c;
    }

    /** Close -> durable per output over every worker's last minute: percentiles of the merged samples. */
    private static ArrayNode lag(List<Snapshot> workers) {
        Map<String, List<Long>> samples = new TreeMap<>();
        for (Snapshot w : workers) {
            w.values().path("closeToDurable").fields().forEachRemaining(e -> {
                List<Long> values = samples.computeIfAbsent(e.getKey(), k -> new ArrayList<>());
                e.getValue().path("samples").forEach(v -> values.add(v.asLong()));
            });
        }
        ArrayNode out = NODES.arrayNode();
        samples.forEach((output, values) -> {
            values.sort(null);
            ObjectNode row = out.addObject();
            row.put("output", output);
            row.put("windows", values.size());
            if (values.isEmpty()) {
                row.putNull("p50");
                row.putNull("p99");
            } else {
                row.put("p50", percentile(values, 0.50));
                row.put("p99", percentile(values, 0.99));
            }
        });
        return out;
    }

    /** Nearest rank, as the processor's own metric line. */
    static long percentile(List<Long> sorted, double q) {
        int rank = (int) Math.ceil(q * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    private void putRate(ObjectNode target, String key, long total, long now) {
        Double rate = rate(key, total, now);
        if (rate == null) {
            target.putNull("perSecond");
        } else {
            target.put("perSecond", Math.round(rate * 10) / 10.0);
        }
    }

    /** The change per second since the previous read; null on the first. */
    Double rate(String key, long total, long now) {
        Deque<long[]> h = history.computeIfAbsent(key, k -> new ArrayDeque<>());
        long[] previous = h.peekLast();
        if (previous == null || previous[0] != now) {
            h.addLast(new long[] {now, total});
        }
        if (previous == null || now <= previous[0]) {
            return null;
        }
        return Math.max(0, total - previous[1]) * 1000.0 / (now - previous[0]);
    }

    /** Whether the total rose within the last {@link #RECENT_MILLIS}. */
    boolean roseRecently(String key, long now) {
        Deque<long[]> h = history.get(key);
        if (h == null || h.size() < 2) {
            return false;
        }
        long newest = h.peekLast()[1];
        for (long[] entry : h) {
            if (entry[0] >= now - RECENT_MILLIS && entry[1] < newest) {
                return true;
            }
        }
        return false;
    }

    private void forgetOld(long now) {
        for (Deque<long[]> h : history.values()) {
            while (h.size() > 2 && h.peekFirst()[0] < now - 2 * RECENT_MILLIS) {
                h.removeFirst();
            }
        }
    }

    private List<Snapshot> snapshots() {
        List<Snapshot> out = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            return out;
        }
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".json"))
                    .sorted()
                    .toList()) {
                try {
                    JsonNode n = JSON.readTree(Files.readAllBytes(file));
                    out.add(new Snapshot(
                            n.path("process").asText(),
                            n.path("pid").asLong(),
                            n.path("at").asLong(),
                            n.path("stopped").asBoolean(),
                            n.path("values")));
                } catch (NoSuchFileException e) {
                    // Replaced while listing: the next read has it.
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the live metrics in " + folder + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** One stage: its counters (totals, rates) and health. */
    private final class Stage {
        private final String id;
        private final String name;
        /** null: the process behind it never published; false: it stopped or went quiet. */
        private final Boolean live;

        private final ArrayNode counters = NODES.arrayNode();
        private final List<String> failures = new ArrayList<>();

        Stage(String id, String name, Boolean live, long now) {
            this.now = now;
            this.id = id;
            this.name = name;
            this.live = live;
        }

        void counter(String key, String label, JsonNode value, boolean bad) {
            long total = value.asLong();
            ObjectNode c = counters.addObject();
            c.put("key", key);
            c.put("label", label);
            c.put("total", total);
            c.put("gauge", false);
            c.put("bad", bad);
            putRate(c, id + "." + key, total, now());
            if (bad && roseRecently(id + "." + key, now())) {
                failures.add(label);
            }
        }

        void gauge(String key, String label, long value) {
            ObjectNode c = counters.addObject();
            c.put("key", key);
            c.put("label", label);
            c.put("total", value);
            c.putNull("perSecond");
            c.put("gauge", true);
            c.put("bad", false);
        }

        private final long now;

        private long now() {
            return now;
        }

        ObjectNode json(long at, String activityKey) {
            ObjectNode s = NODES.objectNode();
            s.put("id", id);
            s.put("name", name);
            String health;
            String why = "";
            if (live == null || !live) {
                health = "down";
                why = live == null ? "no live metrics from its process yet" : "its process stopped or went quiet";
            } else if (!failures.isEmpty()) {
                health = "failing";
                why = String.join(", ", failures) + " rose in the last " + RECENT_MILLIS / 1000 + " s";
            } else if (!roseRecently(id + "." + activityKey, at)) {
                health = "idle";
                why = "nothing in the last " + RECENT_MILLIS / 1000 + " s";
            } else {
                health = "ok";
            }
            s.put("health", health);
            s.put("why", why);
            s.set("counters", counters);
            return s;
        }
    }
}
