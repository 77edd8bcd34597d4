package io.github.iottelemetry.verify;

import io.github.iottelemetry.core.aggregate.SeqSet;
import io.github.iottelemetry.core.validation.ReasonCode;
import io.github.iottelemetry.query.engine.LocalQueryEngine;
import io.github.iottelemetry.query.engine.QueryResult;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/** Reads what the pipeline produced: the aggregates table, the lake's aggregates and quarantine. */
final class OutputReaders {
    private OutputReaders() {}

    /** Every metric of every item of {@code {stack}-aggregates}; every message (deviceId#seq) an item holds goes to {@code seenMessages}. */
    static Map<WindowMetricKey, Observed> dynamoDb(DynamoDbClient dynamo, String table, Set<String> seenMessages) {
        Map<WindowMetricKey, Observed> out = new HashMap<>();
        ScanRequest scan =
                ScanRequest.builder().tableName(table).consistentRead(true).build();
        for (Map<String, AttributeValue> item : dynamo.scanPaginator(scan).items()) {
            String pk = item.get("pk").s();
            int hash = pk.lastIndexOf('#');
            String device = pk.substring(0, hash);
            String resolution = pk.substring(hash + 1);
            long windowStart = Long.parseLong(item.get("windowStart").n());
            AttributeValue metrics = item.get("metrics");
            if (metrics == null || !metrics.hasM()) {
                continue;
            }
            for (Map.Entry<String, AttributeValue> m : metrics.m().entrySet()) {
                Map<String, AttributeValue> f = m.getValue().m();
                out.put(
                        new WindowMetricKey(device, resolution, windowStart, m.getKey()),
                        new Observed(
                                n(f, "count").longValue(),
                                n(f, "sum"),
                                n(f, "min"),
                                n(f, "max"),
                                n(f, "firstTs").longValue(),
                                n(f, "firstValue"),
                                n(f, "lastTs").longValue(),
                                n(f, "lastValue")));
                AttributeValue seqs = f.get("seqs");
                if (seqs != null && seqs.s() != null) {
                    SeqSet set = SeqSet.parse(seqs.s());
                    addMessages(seenMessages, device, set);
                }
            }
        }
        return out;
    }

    private static void addMessages(Set<String> seen, String device, SeqSet set) {
        for (String range : set.encode().split(",")) {
            if (range.isEmpty()) {
                continue;
            }
            int dash = range.indexOf('-');
            long lo = Long.parseLong(dash < 0 ? range : range.substring(0, dash));
            long hi = dash < 0 ? lo : Long.parseLong(range.substring(dash + 1));
            for (long q = lo; q <= hi; q++) {
                seen.add(device + "#" + q);
            }
        }
    }

    private static Double n(Map<String, AttributeValue> f, String name) {
        AttributeValue v = f.get(name);
        if (v == null || v.n() == null) {
            throw new IllegalStateException("aggregate item field " + name + " is missing or not a number: " + f);
        }
        return Double.valueOf(v.n());
    }

    /**
     * The lake's aggregates merged per window and metric, as Athena users query them: partial rows
     * (a late correction is a further file) add up with GROUP BY.
     */
    static Map<WindowMetricKey, Observed> lake(LocalQueryEngine lake) {
        QueryResult r = lake.run("""
                SELECT device_id, resolution, window_start_ms, metric,
                       sum(sample_count), sum(sum_value), min(min_value), max(max_value),
                       min(first_ts_ms), arg_min(first_value, first_ts_ms), max(last_ts_ms), arg_max(last_value, last_ts_ms)
                FROM telemetry_aggregates
                GROUP BY device_id, resolution, window_start_ms, metric""", List.of());
        Map<WindowMetricKey, Observed> out = new HashMap<>();
        for (List<Object> row : r.rows()) {
            out.put(
                    new WindowMetricKey(
                            (String) row.get(0),
                            (String) row.get(1),
                            num(row.get(2)).longValue(),
                            (String) row.get(3)),
                    new Observed(
                            num(row.get(4)).longValue(),
                            num(row.get(5)).doubleValue(),
                            num(row.get(6)).doubleValue(),
                            num(row.get(7)).doubleValue(),
                            num(row.get(8)).longValue(),
                            num(row.get(9)).doubleValue(),
                            num(row.get(10)).longValue(),
                            num(row.get(11)).doubleValue()));
        }
        return out;
    }

    static Map<ReasonCode, Integer> quarantine(LocalQueryEngine lake) {
        Map<ReasonCode, Integer> out = new EnumMap<>(ReasonCode.class);
        for (List<Object> row : lake.run("SELECT reason, count(*) FROM quarantine GROUP BY reason", List.of())
                .rows()) {
            out.put(ReasonCode.valueOf((String) row.get(0)), num(row.get(1)).intValue());
        }
        return out;
    }

    private static Number num(Object v) {
        if (v instanceof Number n) {
            return n;
        }
        throw new IllegalStateException("expected a number from the lake, got " + v);
    }
}
