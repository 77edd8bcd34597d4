package io.github.iottelemetry.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.iottelemetry.query.catalog.NamedQuery;
import io.github.iottelemetry.query.engine.QueryResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The console's web server: the JDK's HTTP server on a loopback address, the page and its assets from the
 * classpath (uPlot from its WebJar), JSON APIs and the Flow view as server-sent events.
 *
 * <p>Safety: every response forbids inline script and any origin but this one (Content-Security-Policy), the page
 * inserts device-controlled text as text only, and a request whose {@code Host} is not this server's loopback name
 * is refused (a web page elsewhere cannot reach the console by rebinding a DNS name to 127.0.0.1).
 */
public final class ConsoleServer implements AutoCloseable {

    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
    private static final String WEB = "io/github/iottelemetry/console/web/";
    private static final int MAX_EVENT_STREAMS = 16;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ConsoleData data;
    private final Optional<FlowModel> flow;
    private final ExecutorService executor;
    private final Semaphore eventStreams = new Semaphore(MAX_EVENT_STREAMS);
    private final Set<String> allowedHosts;
    private final String uplotFolder;
    private volatile boolean running = true;

    private ConsoleServer(HttpServer server, ConsoleData data, ExecutorService executor) {
        this.server = server;
        this.data = data;
        this.flow = data.liveMetricsFolder().map(FlowModel::new);
        this.executor = executor;
        int port = server.getAddress().getPort();
        String bound = server.getAddress().getAddress().getHostAddress();
        this.allowedHosts = Set.copyOf(List.of(
                "127.0.0.1:" + port,
                "localhost:" + port,
                "[::1]:" + port,
                bound + ":" + port,
                "[" + bound + "]:" + port));
        this.uplotFolder = "META-INF/resources/webjars/uplot/" + uplotVersion() + "/dist/";
    }

    /** Serves {@code data} on {@code bind}:{@code port} (0: any free port). */
    public static ConsoleServer start(ConsoleData data, String bind, int port) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(bind, port), 64);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot listen on " + bind + ":" + port + " (" + e.getMessage()
                            + "): choose another --console-port",
                    e);
        }
        AtomicInteger n = new AtomicInteger();
        ExecutorService executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "console-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        ConsoleServer console = new ConsoleServer(server, data, executor);
        server.createContext("/", console::handle);
        server.setExecutor(executor);
        server.start();
        return console;
    }

    /** The page's address, for the terminal. */
    public String url() {
        String host = server.getAddress().getAddress().getHostAddress();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":"
                + server.getAddress().getPort() + "/";
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        running = false;
        server.stop(0);
        executor.shutdownNow();
        data.close();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String host = exchange.getRequestHeaders().getFirst("Host");
            if (host == null || !allowedHosts.contains(host.toLowerCase(Locale.ROOT))) {
                send(
                        exchange,
                        403,
                        "text/plain",
                        ("refused: Host " + host + " is not this console's").getBytes(StandardCharsets.UTF_8));
                return;
            }
            if (!exchange.getRequestMethod().equals("GET")
                    && !exchange.getRequestMethod().equals("HEAD")) {
                send(exchange, 405, "text/plain", "only GET".getBytes(StandardCharsets.UTF_8));
                return;
            }
            URI uri = exchange.getRequestURI();
            String path = uri.getRawPath();
            Map<String, List<String>> query = query(uri.getRawQuery());
            try {
                route(exchange, path, query);
            } catch (IllegalArgumentException | IllegalStateException | UnsupportedOperationException e) {
                error(exchange, e instanceof IllegalArgumentException ? 400 : 502, e.getMessage());
            } catch (RuntimeException e) {
                error(exchange, 500, e.toString());
            }
        }
    }

    private void route(HttpExchange exchange, String path, Map<String, List<String>> query) throws IOException {
        switch (path) {
            case "/", "/index.html" -> resource(exchange, WEB + "index.html", "text/html; charset=utf-8");
            case "/app.js" -> resource(exchange, WEB + "app.js", "text/javascript; charset=utf-8");
            case "/app.css" -> resource(exchange, WEB + "app.css", "text/css; charset=utf-8");
            case "/assets/uplot/uPlot.iife.min.js" ->
                resource(exchange, uplotFolder + "uPlot.iife.min.js", "text/javascript; charset=utf-8");
            case "/assets/uplot/uPlot.min.css" ->
                resource(exchange, uplotFolder + "uPlot.min.css", "text/css; charset=utf-8");
            case "/api/info" -> json(exchange, info());
            case "/api/flow" -> json(exchange, flowNow());
            case "/api/flow/events" -> events(exchange);
            case "/api/devices" -> json(exchange, devices(first(query, "q", ""), intParam(query, "limit", 200)));
            case "/api/fleet" ->
                json(
                        exchange,
                        fleet(first(query, "resolution", data.resolutions().get(0))));
            case "/api/quarantine" -> json(exchange, quarantine(intParam(query, "limit", 50)));
            case "/api/queries" -> json(exchange, queries());
            default -> {
                if (path.startsWith("/api/devices/") && path.endsWith("/series")) {
                    String id = decode(path.substring("/api/devices/".length(), path.length() - "/series".length()));
                    json(
                            exchange,
                            series(
                                    id,
                                    first(
                                            query,
                                            "resolution",
                                            data.resolutions().get(0))));
                } else if (path.startsWith("/api/queries/")) {
                    String rest = path.substring("/api/queries/".length());
                    boolean csv = rest.endsWith("/csv");
                    String name = decode(csv ? rest.substring(0, rest.length() - "/csv".length()) : rest);
                    runQuery(exchange, name, query.getOrDefault("p", List.of()), csv);
                } else {
                    error(exchange, 404, "no such page: " + path);
                }
            }
        }
    }

    // ------------------------------------------------------------------ views

    private ObjectNode info() {
        ObjectNode info = JSON.createObjectNode();
        info.put("mode", data.mode());
        info.put("stack", data.stack());
        info.put("region", data.region());
        info.put("flow", flow.isPresent());
        info.put("athena", data.mode().equals("aws"));
        ArrayNode resolutions = info.putArray("resolutions");
        data.resolutions().forEach(resolutions::add);
        return info;
    }

    private ObjectNode flowNow() {
        return flow.orElseThrow(() -> new UnsupportedOperationException(
                        "live flow counters are local-cloud only; on AWS see the stack's CloudWatch dashboard"))
                .read(System.currentTimeMillis());
    }

    /** Server-sent events: the Flow view once a second until the page goes away. */
    private void events(HttpExchange exchange) throws IOException {
        if (flow.isEmpty()) {
            flowNow();
        }
        if (!eventStreams.tryAcquire()) {
            error(exchange, 503, "too many open flow streams (" + MAX_EVENT_STREAMS + "); close a console tab");
            return;
        }
        try {
            headers(exchange, "text/event-stream; charset=utf-8");
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            out.write("retry: 2000\n\n".getBytes(StandardCharsets.UTF_8));
            while (running) {
                byte[] event = ("event: flow\ndata: " + JSON.writeValueAsString(flowNow()) + "\n\n")
                        .getBytes(StandardCharsets.UTF_8);
                out.write(event);
                out.flush();
                Thread.sleep(1_000);
            }
        } catch (IOException e) {
            // The page went away.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            eventStreams.release();
        }
    }

    private ObjectNode devices(String filter, int limit) {
        ConsoleData.Devices devices = data.devices(filter, Math.max(1, Math.min(limit, 1_000)));
        ObjectNode out = JSON.createObjectNode();
        Long connected =
                flow.map(f -> f.connectedDevices(System.currentTimeMillis())).orElse(null);
        if (connected == null) {
            out.putNull("connected");
        } else {
            out.put("connected", connected);
        }
        out.put("total", devices.matched());
        out.put("truncatedScan", devices.truncatedScan());
        out.set("devices", JSON.valueToTree(devices.devices()));
        return out;
    }

    private ObjectNode series(String deviceId, String resolution) {
        ObjectNode out = JSON.createObjectNode();
        out.put("deviceId", deviceId);
        out.put("resolution", resolution);
        out.set("metrics", JSON.valueToTree(data.deviceSeries(deviceId, resolution, 240)));
        return out;
    }

    private ObjectNode fleet(String resolution) {
        if (!data.resolutions().contains(resolution)) {
            throw new IllegalArgumentException("resolution " + resolution + " is not one of " + data.resolutions());
        }
        ConsoleData.LakeAnswer series =
                data.lake(ConsoleData.FLEET_SQL, List.of(resolution, ConsoleData.fleetFromDay(resolution)));
        ConsoleData.LakeAnswer reasons =
                data.lake(ConsoleData.QUARANTINE_BY_REASON_SQL, List.of(ConsoleData.fleetFromDay("1d")));
        ObjectNode out = JSON.createObjectNode();
        out.set("metrics", JSON.valueToTree(data.fleet(series.result())));
        out.set("quarantineByReason", reasonRows(reasons.result()));
        out.put("source", data.engine());
        cost(out, series, reasons);
        return out;
    }

    private ObjectNode quarantine(int limit) {
        int n = Math.max(1, Math.min(limit, 500));
        String from = ConsoleData.fleetFromDay("1d");
        ConsoleData.LakeAnswer newest = data.lake(String.format(ConsoleData.NEWEST_QUARANTINE_SQL, n), List.of(from));
        ConsoleData.LakeAnswer reasons = data.lake(ConsoleData.QUARANTINE_BY_REASON_SQL, List.of(from));
        List<ConsoleData.QuarantinedRecord> records = new ArrayList<>();
        newest.result().rows().forEach(row -> records.add(ConsoleData.quarantinedRecord(row)));
        ObjectNode out = JSON.createObjectNode();
        out.set("records", JSON.valueToTree(records));
        out.set("byReason", reasonRows(reasons.result()));
        cost(out, newest, reasons);
        return out;
    }

    private static ArrayNode reasonRows(QueryResult r) {
        ArrayNode rows = JSON.createArrayNode();
        for (List<Object> row : r.rows()) {
            ObjectNode o = rows.addObject();
            o.put("reason", ConsoleData.str(row.get(0)));
            o.put("count", ConsoleData.num(row.get(1)));
        }
        return rows;
    }

    private static void cost(ObjectNode out, ConsoleData.LakeAnswer... answers) {
        Long scanned = null;
        Double cost = null;
        for (ConsoleData.LakeAnswer a : answers) {
            if (a.dataScannedBytes() != null) {
                scanned = (scanned == null ? 0 : scanned) + a.dataScannedBytes();
                cost = (cost == null ? 0 : cost) + a.costUsd();
            }
        }
        if (scanned == null) {
            out.putNull("dataScannedBytes");
            out.putNull("costUsd");
        } else {
            out.put("dataScannedBytes", scanned);
            out.put("costUsd", cost);
        }
    }

    private ObjectNode queries() {
        String firstDevice;
        try {
            List<ConsoleData.Device> devices = data.devices("", 1).devices();
            firstDevice = devices.isEmpty() ? "" : devices.get(0).deviceId();
        } catch (RuntimeException e) {
            firstDevice = "";
        }
        ObjectNode out = JSON.createObjectNode();
        ArrayNode list = out.putArray("queries");
        for (NamedQuery q : data.namedQueries()) {
            ObjectNode o = list.addObject();
            o.put("name", q.name());
            o.put("description", q.description());
            ArrayNode params = o.putArray("parameters");
            for (ConsoleData.Parameter p : data.parameters(q, firstDevice)) {
                params.addObject().put("label", p.label()).put("default", p.defaultValue());
            }
        }
        out.put("engine", data.engine());
        out.put("today", LocalDate.now(ZoneOffset.UTC).toString());
        return out;
    }

    private void runQuery(HttpExchange exchange, String name, List<String> parameters, boolean csv) throws IOException {
        NamedQuery q = data.namedQuery(name)
                .orElseThrow(() -> new IllegalArgumentException("no named query '" + name + "' in the template"));
        if (parameters.size() != q.parameterCount()) {
            throw new IllegalArgumentException("query " + name + " takes " + q.parameterCount() + " parameter(s), got "
                    + parameters.size() + ": " + q.description());
        }
        ConsoleData.LakeAnswer answer = data.lake(q.sql(), parameters);
        if (csv) {
            headers(exchange, "text/csv; charset=utf-8");
            exchange.getResponseHeaders().set("Content-Disposition", "attachment; filename=\"" + name + ".csv\"");
            byte[] body = Csv.write(answer.result()).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            return;
        }
        ObjectNode out = JSON.createObjectNode();
        out.set("columns", JSON.valueToTree(answer.result().columns()));
        out.set("rows", JSON.valueToTree(answer.result().rows()));
        out.put("engineMillis", answer.engineMillis());
        cost(out, answer);
        json(exchange, out);
    }

    // ------------------------------------------------------------------ plumbing

    private void resource(HttpExchange exchange, String name, String type) throws IOException {
        try (InputStream in = ConsoleServer.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                error(exchange, 404, "missing asset " + name + " (is the console built?)");
                return;
            }
            send(exchange, 200, type, in.readAllBytes());
        }
    }

    private void json(HttpExchange exchange, Object value) throws IOException {
        send(exchange, 200, "application/json; charset=utf-8", JSON.writeValueAsBytes(value));
    }

    private void error(HttpExchange exchange, int status, String message) throws IOException {
        ObjectNode e = JSON.createObjectNode();
        e.put("error", message == null ? "failed" : message);
        send(exchange, status, "application/json; charset=utf-8", JSON.writeValueAsBytes(e));
    }

    private void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        headers(exchange, type);
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            exchange.getResponseBody().write(body);
        }
    }

    private static void headers(HttpExchange exchange, String type) {
        var h = exchange.getResponseHeaders();
        h.set("Content-Type", type);
        h.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        h.set("X-Content-Type-Options", "nosniff");
        h.set("Referrer-Policy", "no-referrer");
        h.set("Cache-Control", "no-store");
    }

    static Map<String, List<String>> query(String raw) {
        Map<String, List<String>> out = new java.util.LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            out.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        return out;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static String first(Map<String, List<String>> query, String name, String fallback) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? fallback : values.get(0);
    }

    private static int intParam(Map<String, List<String>> query, String name, int fallback) {
        String v = first(query, name, null);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + "=" + v + " is not a whole number");
        }
    }

    private static String uplotVersion() {
        try (InputStream in = ConsoleServer.class
                .getClassLoader()
                .getResourceAsStream("META-INF/maven/org.webjars.npm/uplot/pom.properties")) {
            if (in == null) {
                throw new IllegalStateException("uPlot's WebJar is not on the classpath");
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
