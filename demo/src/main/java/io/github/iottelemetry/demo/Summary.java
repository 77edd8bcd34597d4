package io.github.iottelemetry.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.iottelemetry.localcloud.LocalCloud;
import io.github.iottelemetry.query.catalog.LakeCatalog;
import io.github.iottelemetry.query.engine.LocalQueryEngine;
import io.github.iottelemetry.verify.LedgerExpectation;
import io.github.iottelemetry.verify.Verification;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/** The demo's one summary: what went in, what came out, how fast, and the verdict. */
final class Summary {
    private Summary() {}

    static void print(
            JsonNode sim,
            int batch,
            LedgerExpectation ledger,
            Verification.Verdict verdict,
            LocalCloud cloud,
            LakeCatalog catalog,
            Map<String, String> env,
            double seconds,
            List<String> chaos,
            Path workerLogs) {
        long valid;
        Map<String, Long> windowIngest = new HashMap<>();
        try (LocalQueryEngine lake = new LocalQueryEngine(catalog, cloud.bucketFolder(env.get("LAKE_BUCKET")))) {
            valid = ((Number) lake.run("SELECT count(DISTINCT (deviceid, seq)) FROM raw_telemetry", List.of())
                            .rows()
                            .get(0)
                            .get(0))
                    .longValue();
            // The newest ingest time of the messages that fed each 1-minute window, to measure ingest -> aggregate
            // durable.
            for (List<Object> row : lake.run("""
                    SELECT deviceid, r.ts // 60000 * 60000 AS window_start, max(ingestts)
                    FROM raw_telemetry, unnest(readings) AS u(r)
                    GROUP BY ALL""", List.of()).rows()) {
                windowIngest.put(
                        row.get(0) + "#" + ((Number) row.get(1)).longValue(), ((Number) row.get(2)).longValue());
            }
        }
        List<Long> lags = new ArrayList<>();
        long startedAt = System.currentTimeMillis() - (long) (seconds * 1000);
        Map<String, List<Long>> closeLags = embeddedMetric(workerLogs, "WindowCloseToDurable", "Output", startedAt);
        int items = 0;
        for (Map<String, AttributeValue> item : cloud.dynamoDb()
                .scanPaginator(ScanRequest.builder()
                        .tableName(env.get("AGGREGATES_TABLE"))
                        .build())
                .items()) {
            items++;
            String pk = item.get("pk").s();
            if (!pk.endsWith("#1m") || item.get("updatedAt") == null) {
                continue;
            }
            Long ingest = windowIngest.get(pk.substring(0, pk.length() - 3) + "#"
                    + item.get("windowStart").n());
            if (ingest != null) {
                lags.add(Long.parseLong(item.get("updatedAt").n()) - ingest);
            }
        }
        Collections.sort(lags);
        StringBuilder quarantined = new StringBuilder();
        for (Verification.QuarantineCheck q : verdict.quarantine()) {
            if (q.found() > 0) {
                quarantined
                        .append(quarantined.length() > 0 ? ", " : "")
                        .append(q.reason())
                        .append(' ')
                        .append(q.found());
            }
        }
        System.out.println();
        System.out.println("summary");
        System.out.printf(
                "  messages      sent %s, acknowledged %s, unacknowledged %s (PUBACK p50 %s ms, p99 %s ms)%n",
                sim.path("sent").asText(),
                sim.path("acked").asText(),
                sim.path("unacked").asText(),
                sim.path("p50Ms").asText(),
                sim.path("p99Ms").asText());
        System.out.printf(
                "  ingest        valid %,d, quarantined %s, duplicates sent %d (dropped by the aggregates' seq sets)%n",
                valid, quarantined.length() == 0 ? "none" : quarantined, ledger.duplicates());
        System.out.printf(
                "  aggregates    %,d DynamoDB items; lake and DynamoDB exact %,d / %,d metric windows%n",
                items, verdict.dynamoDb().exact(), verdict.lake().exact());
        System.out.printf(
                "  lag           ingestTs -> 1-minute aggregate durable: p50 %s, p99 %s (includes waiting for the window to close)%n",
                percentile(lags, 0.50), percentile(lags, 0.99));
        for (Map.Entry<String, List<Long>> output : closeLags.entrySet()) {
            Collections.sort(output.getValue());
            System.out.printf(
                    "                window close (end + allowed lateness) -> durable in %s: p50 %s, p99 %s"
                            + " (%,d windows; the workers' WindowCloseToDurable)%n",
                    output.getKey(),
                    percentile(output.getValue(), 0.50),
                    percentile(output.getValue(), 0.99),
                    output.getValue().size());
        }
        System.out.printf(
                "  throughput    %.0f readings/s acknowledged by the broker; demo took %.0f s%n",
                sim.path("ackedPerSecond").asDouble() * batch, seconds);
        if (!chaos.isEmpty()) {
            System.out.println("  chaos         (seconds after the fleet started)");
            chaos.forEach(line -> System.out.println("                " + line));
        }
        System.out.printf(
                "  raw archive   %,d Kinesis records, each archived once: %s%n",
                verdict.raw().records(),
                verdict.raw().archivedTwice() == 0
                        ? "yes"
                        : "no, " + verdict.raw().archivedTwice() + " twice");
        System.out.println("  verify        " + (verdict.exact() ? "EXACT" : "NOT EXACT"));
    }

    /**
     * The values of an embedded-metric-format metric the workers wrote to their logs, by one dimension's value: what
     * CloudWatch Logs extracts from the same lines on AWS.
     */
    private static Map<String, List<Long>> embeddedMetric(Path logs, String metric, String dimension, long since) {
        Map<String, List<Long>> values = new TreeMap<>();
        ObjectMapper json = new ObjectMapper();
        try (Stream<Path> files = Files.isDirectory(logs) ? Files.list(logs) : Stream.empty()) {
            for (Path log : files.filter(f -> f.getFileName().toString().startsWith("processor-"))
                    .toList()) {
                for (String line : Files.readAllLines(log)) {
                    if (line.startsWith("{\"_aws\"")) {
                        JsonNode node = json.readTree(line);
                        // The logs of earlier runs in the same state folder are kept: this run's lines only.
                        if (node.has(metric) && node.at("/_aws/Timestamp").asLong() >= since) {
                            List<Long> into =
                                    values.computeIfAbsent(node.path(dimension).asText(), k -> new ArrayList<>());
                            node.get(metric).forEach(value -> into.add(value.asLong()));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the workers' logs in " + logs, e);
        }
        return values;
    }

    private static String percentile(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return "n/a";
        }
        long v = sorted.get((int) Math.min(sorted.size() - 1, Math.round(p * (sorted.size() - 1))));
        return String.format("%.1f s", v / 1000.0);
    }
}
