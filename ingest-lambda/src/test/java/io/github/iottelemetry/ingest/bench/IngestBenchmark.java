package io.github.iottelemetry.ingest.bench;

import io.github.iottelemetry.core.payload.Reading;
import io.github.iottelemetry.core.payload.TelemetryCodec;
import io.github.iottelemetry.core.payload.TelemetryMessage;
import io.github.iottelemetry.core.validation.TelemetryValidator;
import io.github.iottelemetry.core.validation.ValidationLimits;
import io.github.iottelemetry.ingest.batch.BatchIngestor;
import io.github.iottelemetry.ingest.batch.BatchOutcome;
import io.github.iottelemetry.ingest.batch.IngestRecord;
import io.github.iottelemetry.ingest.lake.LakeWriter;
import io.github.iottelemetry.ingest.state.DeviceStateStore;
import io.github.iottelemetry.localcloud.LocalCloud;
import io.github.iottelemetry.localcloud.LocalCloudOptions;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Warm: time to ingest a 500-record batch from 500 devices against the local engines (dynalite,
 * S3Proxy), with the split between decode/validate, state + quarantine writes and the raw archive.
 * Cold: a fresh JVM on the deployment package (target/lambda) from start to its first batch done.
 * Run: {@code ./mvnw -q -pl ingest-lambda -am -Pbench verify -DskipTests}
 */
public final class IngestBenchmark {

    public static void main(String[] args) throws Exception {
        Path template = findTemplate();
        // The DynamoDB engine keeps its tables in LevelDB on a folder or in memory; both are printed, the cold
        // start runs on the last one.
        String storages = System.getProperty("bench.storage", "file,memory");
        for (boolean inMemory : new boolean[] {false, true}) {
            if (!storages.contains(inMemory ? "memory" : "file")) {
                continue;
            }
            Path state = Files.createTempDirectory("ingest-bench");
            LocalCloudOptions options = LocalCloudOptions.defaults(template.getParent())
                    .withStateDirectory(state, true)
                    .withTemplate(Optional.of(template), Map.of())
                    .withDynamoDbInMemory(inMemory)
                    .withFreePorts();
            try (LocalCloud cloud = LocalCloud.start(options)) {
                warm(cloud, inMemory ? "dynalite in memory" : "dynalite on its folder");
                if (inMemory) {
                    for (int run = 1; run <= Integer.getInteger("bench.coldRuns", 3); run++) {
                        coldStart(cloud.environment());
                    }
                }
            }
        }
    }

    private static void warm(LocalCloud cloud, String storage) {
        Map<String, String> env = cloud.environment();
        ExecutorService io = Executors.newFixedThreadPool(32);
        BatchIngestor ingestor = new BatchIngestor(
                new TelemetryValidator(ValidationLimits.defaults()),
                new DeviceStateStore(cloud.dynamoDbEnhanced(), env.get("DEVICE_STATE_TABLE")),
                new LakeWriter(cloud.s3(), env.get("LAKE_BUCKET")),
                io,
                Clock.systemUTC());
        int batches = Integer.getInteger("bench.batches", 30);
        long[] total = new long[batches];
        long[][] split = new long[batches][];
        for (int b = 0; b < batches + 5; b++) {
            List<IngestRecord> batch = batch(b, 500);
            long t0 = System.nanoTime();
            BatchOutcome o = ingestor.ingest(batch);
            long t = System.nanoTime() - t0;
            if (o.valid() != 500 || o.stateWrites() != 500) {
                throw new IllegalStateException("benchmark batch not fully ingested: " + o);
            }
            if (b >= 5) { // the first five warm the JIT and the engines
                total[b - 5] = t;
                split[b - 5] = new long[] {
                    o.timings().decodeValidate(),
                    o.timings().stateAndQuarantine(),
                    o.timings().rawArchive()
                };
            }
        }
        io.shutdownNow();
        long[] sorted = total.clone();
        Arrays.sort(sorted);
        System.out.printf(
                "ingest-lambda warm: 500-record batches from 500 devices, %d batches, %s, S3Proxy%n", batches, storage);
        System.out.printf(
                "  batch time p50 %.0f ms, p90 %.0f ms, max %.0f ms (target: under 300 ms)%n",
                sorted[batches / 2] / 1e6, sorted[batches * 9 / 10] / 1e6, sorted[batches - 1] / 1e6);
        System.out.printf(
                "  split (mean): decode+validate %.1f ms, DynamoDB state (500 conditional puts, 32 in flight) %.1f ms, S3 raw %.1f ms%n",
                mean(split, 0) / 1e6, mean(split, 1) / 1e6, mean(split, 2) / 1e6);
    }

    private static void coldStart(Map<String, String> env) throws Exception {
        Path pkg = Path.of("target/lambda").toAbsolutePath();
        if (!Files.isDirectory(pkg.resolve("lib"))) {
            System.out.println("cold: skipped, no deployment package at " + pkg + " (run the package phase)");
            return;
        }
        long bytes;
        try (var files = Files.walk(pkg)) {
            bytes = files.filter(Files::isRegularFile)
                    .mapToLong(p -> p.toFile().length())
                    .sum();
        }
        String cp = pkg + File.pathSeparator + pkg.resolve("lib") + File.separator + "*" + File.pathSeparator
                + Path.of("target/test-classes").toAbsolutePath();
        // Lambda's Java runtimes start the JVM with these flags by default (tiered compilation stopped at C1).
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+TieredCompilation",
                "-XX:TieredStopAtLevel=1"));
        String extra = System.getProperty("bench.coldJvmArgs", "");
        if (!extra.isBlank()) {
            command.addAll(List.of(extra.trim().split("\\s+"))); // e.g. a flight recording of the cold start
        }
        command.addAll(List.of("-cp", cp, ColdStartProbe.class.getName()));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        pb.environment().put("POWERTOOLS_METRICS_NAMESPACE", "IotTelemetryBench");
        pb.environment().put("POWERTOOLS_SERVICE_NAME", "ingest");
        pb.environment().put("POWERTOOLS_LOG_LEVEL", "WARN");
        pb.redirectErrorStream(true);
        Path log = Files.createTempFile("cold-start-", ".log");
        pb.redirectOutput(log.toFile());
        long t0 = System.nanoTime();
        Process p = pb.start();
        boolean exited = p.waitFor(60, TimeUnit.SECONDS);
        if (!exited) {
            p.destroyForcibly();
        }
        String out = Files.readString(log);
        Files.delete(log);
        if (!exited || p.exitValue() != 0) {
            throw new IllegalStateException(
                    "cold start probe " + (exited ? "failed" : "did not finish in 60 s") + ":\n" + out);
        }
        double wall = (System.nanoTime() - t0) / 1e6;
        String line = out.lines().filter(l -> l.startsWith("cold:")).findFirst().orElse("cold: (no report)");
        System.out.printf(
                "ingest-lambda %s; process wall time %.0f ms; deployment package %.1f MB (target: under 2.5 s, no SnapStart)%n",
                line.substring("cold: ".length()), wall, bytes / 1e6);
    }

    static List<IngestRecord> batch(int b, int devices) {
        List<IngestRecord> out = new ArrayList<>(devices);
        long now = System.currentTimeMillis();
        for (int d = 0; d < devices; d++) {
            String id = String.format("bench-%06d", d);
            long seq = b + 1L;
            List<Reading> readings = new ArrayList<>(10);
            for (int i = 0; i < 10; i++) {
                Map<String, Double> m = new LinkedHashMap<>();
                m.put("temperature", 21 + (d % 10) * 0.1 + i * 0.01);
                m.put("humidity", 40.5);
                m.put("battery", 3.71);
                m.put("pressure", 1013.25);
                readings.add(Reading.of(now - 10_000 + i * 1000L, m));
            }
            byte[] data = TelemetryCodec.encode(
                    TelemetryMessage.fromDevice(id, seq, now - 200, readings).withIngest(id, now - 100));
            out.add(new IngestRecord(
                    d, "shardId-000000000000", String.format("%056d", (long) b * devices + d), now - 50, data));
        }
        return out;
    }

    private static double mean(long[][] split, int column) {
        return Arrays.stream(split).mapToLong(s -> s[column]).average().orElse(0);
    }

    private static Path findTemplate() {
        for (Path f = Path.of("").toAbsolutePath(); f != null; f = f.getParent()) {
            if (Files.isRegularFile(f.resolve("template.yaml"))) {
                return f.resolve("template.yaml");
            }
        }
        throw new IllegalStateException("no template.yaml above " + Path.of("").toAbsolutePath());
    }
}
