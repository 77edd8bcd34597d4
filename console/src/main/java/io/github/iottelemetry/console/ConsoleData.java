package io.github.iottelemetry.console;

import io.github.iottelemetry.query.catalog.LakeCatalog;
import io.github.iottelemetry.query.catalog.NamedQuery;
import io.github.iottelemetry.query.engine.AthenaQueryEngine;
import io.github.iottelemetry.query.engine.LocalQueryEngine;
import io.github.iottelemetry.query.engine.QueryResult;
import io.github.iottelemetry.template.CfnTemplate;
import io.github.iottelemetry.template.PseudoParameters;
import io.github.iottelemetry.template.ResolvedTemplate;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.athena.AthenaClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * Where the console's views 2-5 read: the device-state and aggregates tables (DynamoDB: the local engine or AWS),
 * the lake through the template's Glue tables and named queries (DuckDB over the local lake folder, or Athena in the
 * stack's workgroup, whose scanned bytes and cost each answer carries), and, on the local cloud, the live-metrics
 * folder for the Flow view.
 */
public final class ConsoleData implements AutoCloseable {

    /** Athena SQL in us-east-1 (cost/prices.csv): USD per TB scanned, at least 10 MB billed per query. */
    static final double ATHENA_USD_PER_TB = 5.0;

    static final long ATHENA_MIN_BILLED_BYTES = 10_000_000L;
    /** Device-state items read for one devices request at most: a scan, which costs reads on a large fleet. */
    static final int DEVICE_SCAN_LIMIT = 5_000;

    private final String mode;
    private final String stack;
    private final String region;
    private final List<String> resolutions;
    private final LakeCatalog catalog;
    private final DynamoDbClient dynamo;
    private final String deviceStateTable;
    private final String aggregatesTable;
    private final Optional<Path> lakeFolder;
    private final Optional<AthenaClient> athena;
    private final Optional<Path> liveMetricsFolder;
    private final String dynamoWhere;

    private ConsoleData(
            String mode,
            String stack,
            String region,
            List<String> resolutions,
            LakeCatalog catalog,
            DynamoDbClient dynamo,
            String deviceStateTable,
            String aggregatesTable,
            Optional<Path> lakeFolder,
            Optional<AthenaClient> athena,
            Optional<Path> liveMetricsFolder,
            String dynamoWhere) {
        this.dynamoWhere = dynamoWhere;
        this.mode = mode;
        this.stack = stack;
        this.region = region;
        this.resolutions = resolutions;
        this.catalog = catalog;
        this.dynamo = dynamo;
        this.deviceStateTable = deviceStateTable;
        this.aggregatesTable = aggregatesTable;
        this.lakeFolder = lakeFolder;
        this.athena = athena;
        this.liveMetricsFolder = liveMetricsFolder;
    }

    /**
     * The local cloud described by {@code env} (its env file or {@code LocalCloud.environment()}): endpoints,
     * credentials, table and bucket names, {@code LOCAL_CLOUD_STATE} and {@code LIVE_METRICS_DIR}.
     */
    public static ConsoleData local(Path template, String stack, Map<String, String> env) {
        String region = env.getOrDefault("AWS_REGION", "us-east-1");
        Path state = Path.of(require(env, "LOCAL_CLOUD_STATE"));
        DynamoDbClientBuilder builder = DynamoDbClient.builder()
                .region(Region.of(region))
                .httpClient(UrlConnectionHttpClient.create())
                .endpointOverride(URI.create(require(env, "AWS_ENDPOINT_URL_DYNAMODB")))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        require(env, "AWS_ACCESS_KEY_ID"), require(env, "AWS_SECRET_ACCESS_KEY"))));
        Path lake = state.resolve("s3").resolve("buckets").resolve(require(env, "LAKE_BUCKET"));
        String live = env.get("LIVE_METRICS_DIR");
        return new ConsoleData(
                "local",
                stack,
                region,
                resolutions(env.getOrDefault("AGGREGATION_RESOLUTIONS", "1m,1h")),
                LakeCatalog.fromTemplate(template, stack, region),
                builder.build(),
                require(env, "DEVICE_STATE_TABLE"),
                require(env, "AGGREGATES_TABLE"),
                Optional.of(lake),
                Optional.empty(),
                Optional.of(live != null ? Path.of(live) : state.resolve("live-metrics")),
                "the local cloud's DynamoDB at " + env.get("AWS_ENDPOINT_URL_DYNAMODB"));
    }

    /** A deployed stack: table names as the template names them for {@code stack}, the default credentials chain. */
    public static ConsoleData aws(Path template, String stack, String region, Map<String, String> parameters) {
        ResolvedTemplate t = CfnTemplate.load(template)
                .resolve(parameters, PseudoParameters.of(stack, region, PseudoParameters.LOCAL_ACCOUNT_ID));
        String deviceState = tableName(t, "DeviceStateTable");
        String aggregates = tableName(t, "AggregatesTable");
        Object resolutions = t.parameterValues().getOrDefault("AggregationResolutions", "1m,1h");
        return new ConsoleData(
                "aws",
                stack,
                region,
                resolutions(String.valueOf(resolutions)),
                LakeCatalog.fromTemplate(template, stack, region),
                DynamoDbClient.builder()
                        .region(Region.of(region))
                        .httpClient(UrlConnectionHttpClient.create())
                        .build(),
                deviceState,
                aggregates,
                Optional.empty(),
                Optional.of(AthenaClient.builder()
                        .region(Region.of(region))
                        .httpClient(UrlConnectionHttpClient.create())
                        .build()),
                Optional.empty(),
                "DynamoDB in " + region);
    }

    private static String tableName(ResolvedTemplate t, String logicalId) {
        return t.resource(logicalId)
                .flatMap(r -> r.stringProperty("TableName"))
                .orElseThrow(
                        () -> new IllegalArgumentException("the template has no " + logicalId + " with a TableName"));
    }

    private static List<String> resolutions(String list) {
        List<String> out = new ArrayList<>();
        for (String r : list.split(",")) {
            if (!r.isBlank()) {
                out.add(r.strip());
            }
        }
        return out;
    }

    private static String require(Map<String, String> env, String name) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException("the local cloud's environment has no " + name);
        }
        return v;
    }

    public String mode() {
        return mode;
    }

    public String stack() {
        return stack;
    }

    public String region() {
        return region;
    }

    public List<String> resolutions() {
        return resolutions;
    }

    String deviceStateTable() {
        return deviceStateTable;
    }

    String aggregatesTable() {
        return aggregatesTable;
    }

    public Optional<Path> liveMetricsFolder() {
        return liveMetricsFolder;
    }

    public List<NamedQuery> namedQueries() {
        return catalog.namedQueries();
    }

    public Optional<NamedQuery> namedQuery(String name) {
        return catalog.namedQuery(name);
    }

    /** Where the lake queries run, for the page. */
    public String engine() {
        return athena.isPresent()
                ? "Athena (workgroup " + catalog.workGroup() + ", database " + catalog.database() + ")"
                : "DuckDB over the local lake";
    }

    // ------------------------------------------------------------------ DynamoDB

    /** A device-state item: deviceId, lastSeq, lastTs, updatedAt, latest readings. */
    public record Device(String deviceId, Long lastSeq, Long lastTs, Long updatedAt, Map<String, Double> latest) {}

    /** Devices whose id contains {@code filter} (case-insensitive), sorted by id; the scan reads at most a few thousand. */
    public record Devices(List<Device> devices, int matched, boolean truncatedScan) {}

    public Devices devices(String filter, int limit) {
        String needle = filter == null ? "" : filter.strip().toLowerCase(java.util.Locale.ROOT);
        List<Device> all = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        int read = 0;
        boolean truncated = false;
        do {
            ScanRequest.Builder scan = ScanRequest.builder().tableName(deviceStateTable);
            if (start != null) {
                scan.exclusiveStartKey(start);
            }
            ScanResponse page = dynamo(() -> dynamo.scan(scan.build()), deviceStateTable);
            for (Map<String, AttributeValue> item : page.items()) {
                read++;
                String id = s(item, "deviceId");
                if (id != null && id.toLowerCase(java.util.Locale.ROOT).contains(needle)) {
                    Map<String, Double> latest = new java.util.TreeMap<>();
                    AttributeValue l = item.get("latest");
                    if (l != null && l.hasM()) {
                        l.m().forEach((k, v) -> {
                            if (v.n() != null) {
                                latest.put(k, Double.parseDouble(v.n()));
                            }
                        });
                    }
                    all.add(new Device(id, n(item, "lastSeq"), n(item, "lastTs"), n(item, "updatedAt"), latest));
                }
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
            if (start != null && read >= DEVICE_SCAN_LIMIT) {
                truncated = true;
                start = null;
            }
        } while (start != null);
        all.sort(java.util.Comparator.comparing(Device::deviceId));
        return new Devices(List.copyOf(all.subList(0, Math.min(limit, all.size()))), all.size(), truncated);
    }

    /** One metric's windows, oldest first: start (epoch seconds), min, max, mean, count. */
    public record Series(List<Long> t, List<Double> min, List<Double> max, List<Double> mean, List<Long> count) {
        static Series empty() {
            return new Series(
                    new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        }
    }

    /** The device's newest {@code windows} windows at {@code resolution}, per metric, from the aggregates table. */
    public Map<String, Series> deviceSeries(String deviceId, String resolution, int windows) {
        if (!resolutions.contains(resolution)) {
            throw new IllegalArgumentException("resolution " + resolution + " is not one of " + resolutions);
        }
        List<Map<String, AttributeValue>> items = new ArrayList<>(dynamo(
                        () -> dynamo.query(QueryRequest.builder()
                                .tableName(aggregatesTable)
                                .keyConditionExpression("pk = :pk")
                                .expressionAttributeValues(
                                        Map.of(":pk", AttributeValue.fromS(deviceId + "#" + resolution)))
                                .scanIndexForward(false)
                                .limit(windows)
                                .build()),
                        aggregatesTable)
                .items());
        java.util.Collections.reverse(items);
        Map<String, Series> out = new java.util.TreeMap<>();
        for (Map<String, AttributeValue> item : items) {
            Long start = n(item, "windowStart");
            AttributeValue metrics = item.get("metrics");
            if (start == null || metrics == null || !metrics.hasM()) {
                continue;
            }
            metrics.m().forEach((metric, value) -> {
                Map<String, AttributeValue> f = value.m();
                Long count = n(f, "count");
                Double sum = d(f, "sum");
                if (count == null || count == 0 || sum == null) {
                    return;
                }
                Series s = out.computeIfAbsent(metric, k -> Series.empty());
                s.t().add(start / 1000);
                s.min().add(d(f, "min"));
                s.max().add(d(f, "max"));
                s.mean().add(sum / count);
                s.count().add(count);
            });
        }
        return out;
    }

    /** A DynamoDB call whose failure says which table, where. */
    private <T> T dynamo(java.util.function.Supplier<T> call, String table) {
        try {
            return call.get();
        } catch (software.amazon.awssdk.core.exception.SdkException e) {
            throw new IllegalStateException(
                    "cannot read table " + table + " in " + dynamoWhere + ": " + e.getMessage(), e);
        }
    }

    private static String s(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : v.s();
    }

    private static Long n(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.n() == null ? null : Long.parseLong(v.n());
    }

    private static Double d(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.n() == null ? null : Double.parseDouble(v.n());
    }

    // ------------------------------------------------------------------ the lake

    /** A lake query's rows, with what Athena scanned and about what it cost (null locally). */
    public record LakeAnswer(QueryResult result, long engineMillis, Long dataScannedBytes, Double costUsd) {}

    /** Runs {@code sql} with positional parameters on the lake (a fresh DuckDB per call locally: it is cheap). */
    public LakeAnswer lake(String sql, List<String> parameters) {
        long started = System.nanoTime();
        if (athena.isPresent()) {
            AthenaQueryEngine.Execution e = new AthenaQueryEngine(athena.get(), catalog.workGroup(), catalog.database())
                    .run(sql, parameters, Duration.ofMinutes(5));
            return new LakeAnswer(e.result(), e.engineMillis(), e.dataScannedBytes(), athenaCost(e.dataScannedBytes()));
        }
        try (LocalQueryEngine engine = new LocalQueryEngine(catalog, lakeFolder.orElseThrow())) {
            QueryResult r = engine.run(sql, parameters);
            return new LakeAnswer(r, (System.nanoTime() - started) / 1_000_000, null, null);
        }
    }

    /** What Athena bills for a query that scanned {@code bytes}: at least 10 MB, $5 per TB. */
    static double athenaCost(long bytes) {
        return Math.max(bytes, ATHENA_MIN_BILLED_BYTES) / 1e12 * ATHENA_USD_PER_TB;
    }

    /** The first day the fleet view reads: a day for minute windows, a week for longer ones. */
    static String fleetFromDay(String resolution) {
        int days = resolution.endsWith("s") || resolution.endsWith("m") ? 0 : 6;
        return LocalDate.now(ZoneOffset.UTC).minusDays(days).toString();
    }

    static final String FLEET_SQL = """
            SELECT metric, window_start_ms,
                   min(min_value) AS min_value, max(max_value) AS max_value,
                   sum(sum_value) / sum(sample_count) AS mean_value, count(DISTINCT device_id) AS devices
            FROM telemetry_aggregates
            WHERE resolution = ? AND dt >= ?
            GROUP BY metric, window_start_ms
            ORDER BY metric, window_start_ms""";

    static final String QUARANTINE_BY_REASON_SQL = """
            SELECT reason, count(*) AS records
            FROM quarantine
            WHERE dt >= ?
            GROUP BY reason
            ORDER BY reason""";

    static final String NEWEST_QUARANTINE_SQL = """
            SELECT arrivalts, dt, reason, detail, shardid, sequencenumber, sizebytes, database64
            FROM quarantine
            WHERE dt >= ?
            ORDER BY arrivalts DESC
            LIMIT %d""";

    /** A quarantined record as the page shows it: its bytes as text when they are UTF-8, and always as base64. */
    public record QuarantinedRecord(
            Long arrivalTs,
            String dt,
            String reason,
            String detail,
            String shardId,
            String sequenceNumber,
            Long sizeBytes,
            String dataBase64,
            String text,
            boolean textIsUtf8) {}

    static QuarantinedRecord quarantinedRecord(List<Object> row) {
        String base64 = str(row.get(7));
        String text = null;
        boolean utf8 = false;
        if (base64 != null) {
            byte[] bytes;
            try {
                bytes = Base64.getDecoder().decode(base64);
            } catch (IllegalArgumentException e) {
                bytes = null;
            }
            if (bytes != null) {
                try {
                    text = StandardCharsets.UTF_8
                            .newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(bytes))
                            .toString();
                    utf8 = true;
                } catch (CharacterCodingException e) {
                    text = new String(bytes, StandardCharsets.UTF_8);
                }
            }
        }
        return new QuarantinedRecord(
                num(row.get(0)),
                str(row.get(1)),
                str(row.get(2)),
                str(row.get(3)),
                str(row.get(4)),
                str(row.get(5)),
                num(row.get(6)),
                base64,
                text,
                utf8);
    }

    static String str(Object o) {
        return o == null ? null : o.toString();
    }

    /** A number from DuckDB (a Java number) or Athena (text). */
    static Long num(Object o) {
        if (o == null) {
            return null;
        }
        if (o instanceof Number n) {
            return n.longValue();
        }
        String s = o.toString();
        return s.isEmpty() ? null : (long) Double.parseDouble(s);
    }

    static Double dbl(Object o) {
        if (o == null) {
            return null;
        }
        if (o instanceof Number n) {
            return n.doubleValue();
        }
        String s = o.toString();
        return s.isEmpty() ? null : Double.parseDouble(s);
    }

    /**
     * The parameters a named query takes, labelled from its description ("Parameters: a, b (x, y)."), each with a
     * default the page fills in: today for a day, a minute ago for a cutoff, the first device, a metric, 5.
     */
    public record Parameter(String label, String defaultValue) {}

    public List<Parameter> parameters(NamedQuery q, String firstDevice) {
        List<String> labels = parameterLabels(q.description());
        List<Parameter> out = new ArrayList<>();
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        for (int i = 0; i < q.parameterCount(); i++) {
            String label =
                    i < labels.size() && labels.size() == q.parameterCount() ? labels.get(i) : "parameter " + (i + 1);
            String l = label.toLowerCase(java.util.Locale.ROOT);
            String value;
            if (l.contains("device")) {
                value = firstDevice;
            } else if (l.contains("cutoff") || l.contains("epoch")) {
                value = Long.toString(System.currentTimeMillis() - 60_000);
            } else if (l.contains("day")) {
                value = today;
            } else if (l.contains("metric")) {
                value = "temperature";
            } else if (l.equals("n") || l.startsWith("n ")) {
                value = "5";
            } else {
                value = "";
            }
            out.add(new Parameter(label, value));
        }
        return out;
    }

    /** "…. Parameters: from day, to day (YYYY-MM-DD, inclusive)." -> [from day, to day (YYYY-MM-DD, inclusive)]. */
    static List<String> parameterLabels(String description) {
        int at = description.indexOf("Parameters:");
        if (at < 0) {
            return List.of();
        }
        String rest = description.substring(at + "Parameters:".length()).strip();
        if (rest.endsWith(".")) {
            rest = rest.substring(0, rest.length() - 1);
        }
        List<String> labels = new ArrayList<>();
        int depth = 0;
        StringBuilder current = new StringBuilder();
        for (char c : rest.toCharArray()) {
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth = Math.max(0, depth - 1);
            }
            if (c == ',' && depth == 0) {
                labels.add(current.toString().strip());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        if (!current.toString().isBlank()) {
            labels.add(current.toString().strip());
        }
        return labels;
    }

    /** Fleet chart data: per metric, per window across devices. */
    public Map<String, Map<String, List<Object>>> fleet(QueryResult r) {
        Map<String, Map<String, List<Object>>> metrics = new java.util.TreeMap<>();
        for (List<Object> row : r.rows()) {
            Map<String, List<Object>> m = metrics.computeIfAbsent(str(row.get(0)), k -> {
                Map<String, List<Object>> series = new LinkedHashMap<>();
                for (String name : List.of("t", "min", "max", "mean", "devices")) {
                    series.put(name, new ArrayList<>());
                }
                return series;
            });
            m.get("t").add(num(row.get(1)) / 1000);
            m.get("min").add(dbl(row.get(2)));
            m.get("max").add(dbl(row.get(3)));
            m.get("mean").add(dbl(row.get(4)));
            m.get("devices").add(num(row.get(5)));
        }
        return metrics;
    }

    @Override
    public void close() {
        dynamo.close();
        athena.ifPresent(AthenaClient::close);
    }
}
