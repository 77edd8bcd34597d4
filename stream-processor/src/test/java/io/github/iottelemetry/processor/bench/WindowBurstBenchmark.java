package io.github.iottelemetry.processor.bench;

import io.github.iottelemetry.core.aggregate.WindowAggregate;
import io.github.iottelemetry.core.payload.Reading;
import io.github.iottelemetry.core.payload.TelemetryMessage;
import io.github.iottelemetry.core.window.Resolution;
import io.github.iottelemetry.localcloud.LocalCloud;
import io.github.iottelemetry.localcloud.LocalCloudOptions;
import io.github.iottelemetry.processor.output.OutputClients;
import io.github.iottelemetry.processor.output.WindowOutput;
import io.github.iottelemetry.processor.output.dynamodb.AggregatesTimeToLive;
import io.github.iottelemetry.processor.output.parquet.LakeAggregatesWriter;
import io.github.iottelemetry.processor.window.AggregationSettings;
import io.github.iottelemetry.processor.window.ShardAggregator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The write burst of a fleet's aligned windows on the local cloud (dynalite, S3Proxy): a worker closes one 1m window
 * per device at once and writes them through the processor's {@link WindowOutput} (its DynamoDB and lake writers on
 * their own thread pool). Prints, per burst, when the windows were durable in DynamoDB and in the lake after the
 * write started (p50, p99, last), which is the writing part of window close -> durable, without the noticing.
 *
 * <p>Run: {@code ./mvnw -q -pl stream-processor -am -Pbench-burst verify -DskipTests [-Dbench.devices=200]
 * [-Dbench.bursts=6] [-Dbench.threads=16]}.
 */
public final class WindowBurstBenchmark {
    private static final List<String> METRICS = List.of("temperature", "humidity", "pressure", "battery");

    public static void main(String[] args) throws Exception {
        int devices = Integer.getInteger("bench.devices", 200);
        int bursts = Integer.getInteger("bench.bursts", 6);
        int threads = Integer.getInteger("bench.threads", 16);
        int messagesPerWindow = Integer.getInteger("bench.messages", 240);
        Path template = Path.of(System.getProperty("localcloud.template", "../template.yaml"))
                .toAbsolutePath()
                .normalize();
        Path state = Files.createTempDirectory("window-burst-bench-");
        AggregationSettings settings = new AggregationSettings(
                List.of(Resolution.parse("1m")), Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofHours(1));
        ExecutorService io = Executors.newFixedThreadPool(threads);
        ExecutorService lakeIo = Executors.newFixedThreadPool(OutputClients.lakeThreads(threads));
        try (LocalCloud cloud = LocalCloud.start(LocalCloudOptions.defaults(state)
                .withStateDirectory(state, true)
                .withTemplate(Optional.of(template), Map.of())
                .withFreePorts())) {
            LakeAggregatesWriter.warmUp(); // as a worker does at start
            Map<String, String> env = cloud.environment();
            WindowOutput output = OutputClients.windowOutput(
                    cloud.dynamoDb(),
                    cloud.s3(),
                    env.get("AGGREGATES_TABLE"),
                    env.get("LAKE_BUCKET"),
                    io,
                    lakeIo,
                    AggregatesTimeToLive.uniform(Duration.ofDays(1)));
            System.out.printf(
                    Locale.ROOT,
                    "window burst: %d devices, %d metrics, %d messages a window, %d write threads, on %d cores%n",
                    devices,
                    METRICS.size(),
                    messagesPerWindow,
                    threads,
                    Runtime.getRuntime().availableProcessors());
            long minute = (System.currentTimeMillis() / 60_000L - 60) * 60_000L;
            for (int burst = 0; burst < bursts; burst++) {
                long windowStart = minute + burst * 60_000L;
                ShardAggregator shard = new ShardAggregator(settings, windowStart);
                long sequence = 0;
                for (int d = 0; d < devices; d++) {
                    String device = "burst-device-" + d;
                    for (int m = 0; m < messagesPerWindow; m++) {
                        long seq = (long) burst * messagesPerWindow + m + 1;
                        List<Reading> readings = new ArrayList<>(10);
                        for (int r = 0; r < 10; r++) {
                            Map<String, Double> values = new LinkedHashMap<>();
                            for (int k = 0; k < METRICS.size(); k++) {
                                values.put(METRICS.get(k), 20.0 + k + ((m * 10 + r) % 17) / 8.0);
                            }
                            long ts = windowStart + (m * 10L + r) * 60_000L / (messagesPerWindow * 10L);
                            readings.add(Reading.of(ts, values));
                        }
                        shard.add(
                                Long.toString(++sequence),
                                TelemetryMessage.fromDevice(device, seq, windowStart, readings)
                                        .withIngest(device, windowStart),
                                windowStart);
                    }
                }
                List<WindowAggregate> windows = shard.closeAll(windowStart);
                long started = System.currentTimeMillis();
                WindowOutput.Written written = output.write(windows, shard::deltaExcluding);
                long done = System.currentTimeMillis();
                List<Long> table = new ArrayList<>();
                List<Long> lake = new ArrayList<>();
                for (WindowOutput.Durable d : written.windows()) {
                    table.add(d.tableDurableAt() - started);
                    lake.add(d.lakeDurableAt() - started);
                }
                table.sort(null);
                lake.sort(null);
                System.out.printf(
                        Locale.ROOT,
                        "burst %d: %d windows, %d lake objects; durable after the write started: DynamoDB p50 %d ms,"
                                + " p99 %d ms, last %d ms; lake p50 %d ms, p99 %d ms, last %d ms; call %d ms%n",
                        burst + 1,
                        windows.size(),
                        written.lakeObjects().size(),
                        table.get(table.size() / 2),
                        table.get((int) Math.ceil(table.size() * 0.99) - 1),
                        table.get(table.size() - 1),
                        lake.get(lake.size() / 2),
                        lake.get((int) Math.ceil(lake.size() * 0.99) - 1),
                        lake.get(lake.size() - 1),
                        done - started);
            }
        } finally {
            io.shutdownNow();
            lakeIo.shutdownNow();
        }
    }
}
