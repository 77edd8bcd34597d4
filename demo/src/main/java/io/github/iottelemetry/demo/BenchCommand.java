package io.github.iottelemetry.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.iottelemetry.console.FlowModel;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pipeline bench e2e}: the whole local pipeline's ceiling on this machine. Each step runs the demo (its own
 * process tree: the local cloud with IoT Core and the ingest Lambda, the stream-processor workers, the simulator) at
 * one offered load on a fresh local cloud, watches it through the counters its processes publish (the console's
 * Flow model) and each process's CPU and memory (/proc), and reads verify's verdict and the lag from its summary.
 * A step is carried when verify is EXACT, every stage kept up with the offered rate, and the backlog at the fleet's
 * end was bounded (the rule batcher's queue and both consumers' iterator age under limits).
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        subcommands = {BenchCommand.EndToEnd.class},
        description = "Benchmarks of the whole local pipeline: 'bench e2e' steps the offered load to find the ceiling.")
public final class BenchCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchCommand()).execute(args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(
            name = "e2e",
            mixinStandardHelpOptions = true,
            description = "Run the pipeline at each offered load in turn (readings/s), verify each step and print "
                    + "offered vs carried, the backlog, each process's CPU and memory, the bottleneck and the lag.")
    static final class EndToEnd implements Callable<Integer> {

        @Option(
                names = "--steps",
                split = ",",
                defaultValue = "2000,4000,8000,16000,32000",
                description = "Offered readings/s per step (default ${DEFAULT-VALUE}).")
        List<Integer> steps;

        @Option(
                names = "--devices",
                defaultValue = "400",
                description = "Devices (default ${DEFAULT-VALUE}); each publishes steps/devices readings/s.")
        int devices;

        @Option(
                names = "--batch",
                defaultValue = "10",
                description = "Readings per message (default ${DEFAULT-VALUE}).")
        int batch;

        @Option(
                names = "--duration",
                defaultValue = "90s",
                description = "How long the fleet publishes in each step (default ${DEFAULT-VALUE}).")
        String duration;

        @Option(
                names = "--workers",
                defaultValue = "2",
                description = "Stream-processor workers (default ${DEFAULT-VALUE}).")
        int workers;

        @Option(
                names = "--max-iterator-age",
                defaultValue = "10",
                description = "Seconds: a consumer further behind than this at the fleet's end did not keep up "
                        + "(default ${DEFAULT-VALUE}).")
        long maxIteratorAgeSeconds;

        @Option(
                names = "--allowed-lateness",
                defaultValue = "15",
                description = "Seconds a window stays open after its end (default ${DEFAULT-VALUE}; the template's is "
                        + "120): short, so that windows close within a step; the lag after close is measured from "
                        + "the end plus this.")
        int allowedLateness;

        @Option(
                names = "--poll-interval-ms",
                defaultValue = "250",
                description = "Pause between a worker's GetRecords calls on a shard (default ${DEFAULT-VALUE}; the "
                        + "workers' own default is 1000): with the ingest function's 1 read a second, 5 reads a "
                        + "second per shard, what a shard serves on AWS.")
        int pollIntervalMillis;

        @Option(
                names = "--keep-going",
                description = "Run every step even after one was not carried (default: stop after the first).")
        boolean keepGoing;

        @Option(
                names = "--state-dir",
                description = "Where the steps' local clouds live (default .local-cloud-bench; emptied per step).")
        Path stateDir;

        @Option(
                names = "--overload",
                paramLabel = "FACTOR",
                defaultValue = "0",
                description = "After the steps, offer FACTOR times the ceiling found for --overload-duration and "
                        + "check that the pipeline catches up with nothing acknowledged lost (0: no overload run).")
        int overloadFactor;

        @Option(
                names = "--overload-duration",
                defaultValue = "60s",
                description = "How long the fleet publishes in the overload run (default ${DEFAULT-VALUE}).")
        String overloadDuration;

        @Override
        public Integer call() throws Exception {
            Path home = Path.of(System.getProperty("pipeline.home", "")).toAbsolutePath();
            Path root = stateDir != null ? stateDir.toAbsolutePath() : home.resolve(".local-cloud-bench");
            System.out.printf(
                    "bench e2e: %d devices, %d readings a message, %s a step, %d workers, allowed lateness %d s, "
                            + "%d ms between a worker's reads of a shard, on %d cores%n",
                    devices,
                    batch,
                    duration,
                    workers,
                    allowedLateness,
                    pollIntervalMillis,
                    Runtime.getRuntime().availableProcessors());
            List<StepResult> results = new ArrayList<>();
            for (int i = 0; i < steps.size(); i++) {
                int offered = steps.get(i);
                StepResult r = runStep(home, root.resolve("step-" + (i + 1)), offered, duration, "6m");
                results.add(r);
                r.print(System.out);
                if (!r.carried() && !keepGoing) {
                    break;
                }
            }
            System.out.println();
            System.out.println("curve (offered -> carried readings/s, verify, max iterator age at the fleet's end):");
            StepResult ceiling = null;
            for (StepResult r : results) {
                System.out.printf(
                        Locale.ROOT,
                        "  %,7d -> %,7.0f  %-9s %s  %s%n",
                        r.offered,
                        r.carriedRate(),
                        r.verdict,
                        r.maxIteratorAgeText(),
                        r.carried() ? "carried" : "NOT carried: " + r.whyNot());
                if (r.carried()) {
                    ceiling = r;
                }
            }
            System.out.println(
                    ceiling == null
                            ? "ceiling: below the first step"
                            : String.format(
                                    Locale.ROOT, "ceiling: %,d readings/s offered and carried", ceiling.offered));
            if (overloadFactor > 0 && ceiling != null) {
                int overload = ceiling.offered * overloadFactor;
                System.out.printf(
                        Locale.ROOT,
                        "%n==> overload: %dx the ceiling, %,d readings/s offered for %s%n",
                        overloadFactor,
                        overload,
                        overloadDuration);
                StepResult o = runStep(home, root.resolve("overload"), overload, overloadDuration, "20m");
                o.print(System.out);
                System.out.printf(
                        Locale.ROOT,
                        "overload: %s; %s; caught up %.0f s after the fleet stopped; peak RSS %s%n",
                        o.verdict.equals("EXACT") ? "nothing acknowledged lost (verify EXACT)" : "verify " + o.verdict,
                        o.messages,
                        o.verdictAt > 0 && o.fleetEndedAt > 0 ? (o.verdictAt - o.fleetEndedAt) / 1000.0 : -1,
                        o.peakRss().entrySet().stream()
                                .map(e -> e.getKey() + " " + e.getValue() / 1_000_000 + " MB")
                                .toList());
            }
            StepResult first = results.get(0);

            System.out.println("lag after close at " + String.format(Locale.ROOT, "%,d", first.offered)
                    + " readings/s: " + first.closeLag);
            return 0;
        }

        private StepResult runStep(Path home, Path state, int offered, String duration, String drainTimeout)
                throws Exception {
            deleteRecursively(state);
            Files.createDirectories(state);
            double perDevice = offered / (double) devices;
            String rate = String.format(Locale.ROOT, "%.3f/s", perDevice);
            List<String> command = List.of(
                    home.resolve("pipeline").toString(),
                    "demo",
                    "--devices",
                    Integer.toString(devices),
                    "--rate",
                    rate,
                    "--batch",
                    Integer.toString(batch),
                    "--duration",
                    duration,
                    "--faults",
                    "none",
                    "--workers",
                    Integer.toString(workers),
                    "--allowed-lateness",
                    Integer.toString(allowedLateness),
                    "--poll-interval-ms",
                    Integer.toString(pollIntervalMillis),
                    "--state-dir",
                    state.resolve("cloud").toString(),
                    "--drain-timeout",
                    drainTimeout);
            System.out.printf(Locale.ROOT, "%n==> step: %,d readings/s offered (%s per device)%n", offered, rate);
            ProcessBuilder pb =
                    new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true);
            pb.environment().putIfAbsent("PIPELINE_PREBUILT", "1");
            Process demo = pb.start();
            StepResult result = new StepResult(offered, batch, maxIteratorAgeSeconds * 1000);
            ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();
            Thread reader = new Thread(() -> read(demo, state.resolve("demo.out"), lines, result), "demo-output");
            reader.setDaemon(true);
            reader.start();
            FlowModel flow = new FlowModel(state.resolve("cloud/live-metrics"));
            ProcessSampler sampler = new ProcessSampler(demo.toHandle());
            while (demo.isAlive()) {
                long now = System.currentTimeMillis();
                result.sample(now, flow.read(now), sampler.sample());
                demo.waitFor(2, TimeUnit.SECONDS);
            }
            reader.join(10_000);
            result.exitCode = demo.exitValue();
            return result;
        }

        private static void read(Process demo, Path log, ConcurrentLinkedQueue<String> lines, StepResult result) {
            try (BufferedReader in =
                            new BufferedReader(new InputStreamReader(demo.getInputStream(), StandardCharsets.UTF_8));
                    var out = Files.newBufferedWriter(log)) {
                String line;
                while ((line = in.readLine()) != null) {
                    out.write(line);
                    out.newLine();
                    if (!line.startsWith("{\"")) {
                        lines.add(line);
                        result.line(System.currentTimeMillis(), line);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** What one step measured. */
    static final class StepResult {
        private static final Pattern CLOSE_LAG = Pattern.compile(
                "window close \\(end \\+ allowed lateness\\) -> durable in (\\w+): p50 (.+?), p99 (.+?) \\(([\\d,]+) windows");
        private static final Pattern ACKED =
                Pattern.compile("throughput\\s+(\\d+) readings/s acknowledged by the broker; demo took (\\d+) s");
        private static final Pattern MESSAGES =
                Pattern.compile("messages\\s+sent ([\\d,]+), acknowledged ([\\d,]+), unacknowledged ([\\d,]+)");

        final int offered;
        final int batch;
        String verdict = "no verdict";
        int exitCode = -1;
        long fleetStartedAt = -1;
        long fleetEndedAt = -1;
        long verdictAt = -1;
        double ackedReadingsPerSecond = -1;
        String messages = "";
        final Map<String, String> closeLag = new TreeMap<>();
        final List<Sample> samples = Collections.synchronizedList(new ArrayList<>());

        final long maxIteratorAgeMillis;

        StepResult(int offered, int batch, long maxIteratorAgeMillis) {
            this.maxIteratorAgeMillis = maxIteratorAgeMillis;
            this.offered = offered;
            this.batch = batch;
        }

        synchronized void line(long at, String line) {
            if (line.startsWith("==> running the fleet")) {
                fleetStartedAt = at;
            } else if (line.startsWith("==> waiting for the pipeline to drain")) {
                fleetEndedAt = at;
            } else if (line.startsWith("verdict: ")) {
                verdict = line.substring("verdict: ".length()).strip();
                verdictAt = at;
            }
            Matcher m = CLOSE_LAG.matcher(line);
            if (m.find()) {
                closeLag.put(m.group(1), "p50 " + m.group(2) + ", p99 " + m.group(3) + " (" + m.group(4) + " windows)");
            }
            m = ACKED.matcher(line);
            if (m.find()) {
                ackedReadingsPerSecond = Double.parseDouble(m.group(1));
            }
            m = MESSAGES.matcher(line);
            if (m.find()) {
                messages = "sent " + m.group(1) + ", acknowledged " + m.group(2) + ", unacknowledged " + m.group(3);
            }
        }

        record Sample(long at, JsonNode flow, Map<String, ProcessSampler.Usage> processes) {}

        void sample(long at, JsonNode flow, Map<String, ProcessSampler.Usage> processes) {
            samples.add(new Sample(at, flow, processes));
        }

        /** Samples while the fleet published, after its first quarter (connections, warm-up). */
        private List<Sample> steady() {
            if (fleetStartedAt < 0) {
                return List.of();
            }
            long end = fleetEndedAt > 0 ? fleetEndedAt : Long.MAX_VALUE;
            List<Sample> during = new ArrayList<>();
            synchronized (samples) {
                for (Sample s : samples) {
                    if (s.at() >= fleetStartedAt && s.at() <= end) {
                        during.add(s);
                    }
                }
            }
            // The simulator connects its devices first: start where the broker's rate is first above zero, plus 15 s.
            long publishing = during.stream()
                    .filter(s -> rate(s.flow(), "broker", "publishesAccepted") > 0)
                    .mapToLong(Sample::at)
                    .findFirst()
                    .orElse(Long.MAX_VALUE);
            return during.stream().filter(s -> s.at() >= publishing + 15_000).toList();
        }

        /** Mean readings/s of a stage's counter over the steady samples (messages times readings a message). */
        double stageRate(String stage, String key, boolean perMessage) {
            List<Sample> steady = steady();
            if (steady.size() < 2) {
                return 0;
            }
            long first = total(steady.get(0).flow(), stage, key);
            long last = total(steady.get(steady.size() - 1).flow(), stage, key);
            double seconds = (steady.get(steady.size() - 1).at() - steady.get(0).at()) / 1000.0;
            return seconds <= 0 ? 0 : (last - first) / seconds * (perMessage ? batch : 1);
        }

        /** What the slowest stage carried: broker publishes, Kinesis puts, ingest reads, processor reads. */
        double carriedRate() {
            double min = Double.MAX_VALUE;
            for (double r : stageRates().values()) {
                min = Math.min(min, r);
            }
            return min == Double.MAX_VALUE ? 0 : min;
        }

        Map<String, Double> stageRates() {
            Map<String, Double> rates = new LinkedHashMap<>();
            rates.put("broker (publishes accepted)", stageRate("broker", "publishesAccepted", true));
            rates.put("rules -> Kinesis (records put)", stageRate("kinesis", "recordsPut", true));
            rates.put("ingest Lambda (records read)", stageRate("ingest", "recordsRead", true));
            rates.put("stream processor (records read)", stageRate("processor", "recordsRead", true));
            return rates;
        }

        /** The backlog when the fleet stopped: the last sample before it. */
        Optional<Sample> atFleetEnd() {
            if (fleetEndedAt < 0) {
                return Optional.empty();
            }
            Sample last = null;
            synchronized (samples) {
                for (Sample s : samples) {
                    if (s.at() <= fleetEndedAt) {
                        last = s;
                    }
                }
            }
            return Optional.ofNullable(last);
        }

        long maxIteratorAge(String consumer) {
            return atFleetEnd()
                    .map(s -> {
                        long max = 0;
                        for (JsonNode shard : s.flow().path("shards")) {
                            max = Math.max(
                                    max,
                                    shard.path(consumer).path("iteratorAgeMs").asLong(0));
                        }
                        return max;
                    })
                    .orElse(-1L);
        }

        long queuedAtFleetEnd() {
            return atFleetEnd().map(s -> total(s.flow(), "rules", "queued")).orElse(-1L);
        }

        String maxIteratorAgeText() {
            return String.format(
                    Locale.ROOT,
                    "ingest %.1f s, processor %.1f s, rule queue %,d",
                    maxIteratorAge("ingest") / 1000.0,
                    maxIteratorAge("processor") / 1000.0,
                    queuedAtFleetEnd());
        }

        boolean carried() {
            return whyNot().isEmpty();
        }

        String whyNot() {
            List<String> why = new ArrayList<>();
            if (!verdict.equals("EXACT")) {
                why.add("verify " + verdict);
            }
            long limit = maxIteratorAgeMillis;
            if (maxIteratorAge("ingest") > limit) {
                why.add("ingest behind");
            }
            if (maxIteratorAge("processor") > limit) {
                why.add("processor behind");
            }
            if (queuedAtFleetEnd() > 5L * offered / batch) {
                why.add("rule queue growing");
            }
            if (carriedRate() < 0.9 * offered) {
                why.add(String.format(Locale.ROOT, "carried %.0f of %d", carriedRate(), offered));
            }
            return String.join(", ", why);
        }

        /** The slowest stage, and the process that used the most CPU. */
        String bottleneck() {
            String slowest = stageRates().entrySet().stream()
                    .min(Map.Entry.comparingByValue())
                    .map(e -> e.getKey())
                    .orElse("?");
            String busiest = cpuByProcess().entrySet().stream()
                    .max(Map.Entry.comparingByValue())
                    .map(e -> String.format(Locale.ROOT, "%s at %.0f %% of a core", e.getKey(), e.getValue()))
                    .orElse("?");
            return "slowest stage: " + slowest + "; busiest process: " + busiest;
        }

        /** Mean CPU (% of one core) per process over the steady samples. */
        Map<String, Double> cpuByProcess() {
            List<Sample> steady = steady();
            Map<String, Double> cpu = new TreeMap<>();
            if (steady.size() < 2) {
                return cpu;
            }
            Sample a = steady.get(0);
            Sample b = steady.get(steady.size() - 1);
            double seconds = (b.at() - a.at()) / 1000.0;
            b.processes().forEach((name, usage) -> {
                ProcessSampler.Usage before = a.processes().get(name);
                if (before != null && seconds > 0) {
                    cpu.put(name, (usage.cpuSeconds() - before.cpuSeconds()) / seconds * 100);
                }
            });
            return cpu;
        }

        /** Peak resident memory per process over the whole step. */
        Map<String, Long> peakRss() {
            Map<String, Long> peak = new TreeMap<>();
            synchronized (samples) {
                for (Sample s : samples) {
                    s.processes().forEach((name, usage) -> peak.merge(name, usage.rssBytes(), Math::max));
                }
            }
            return peak;
        }

        void print(java.io.PrintStream out) {
            out.printf(Locale.ROOT, "  verify        %s (demo exit %d); messages %s%n", verdict, exitCode, messages);
            out.printf(
                    Locale.ROOT,
                    "  offered       %,d readings/s; acknowledged by the broker %,.0f readings/s (simulator's count)%n",
                    offered,
                    ackedReadingsPerSecond);
            stageRates()
                    .forEach((stage, rate) ->
                            out.printf(Locale.ROOT, "  carried       %-34s %,9.0f readings/s%n", stage, rate));
            out.printf(Locale.ROOT, "  backlog       at the fleet's end: %s%n", maxIteratorAgeText());
            if (fleetEndedAt > 0 && verdictAt > 0) {
                out.printf(
                        Locale.ROOT,
                        "  drain         %.0f s from the fleet's end to verify's verdict (windows close 1 minute + lateness after their start)%n",
                        (verdictAt - fleetEndedAt) / 1000.0);
            }
            closeLag.forEach((output, lag) ->
                    out.printf(Locale.ROOT, "  lag           window close -> durable in %s: %s%n", output, lag));
            // The workers' live view of the minute before the fleet stopped, with how long noticing a close took.
            atFleetEnd().ifPresent(s -> {
                for (JsonNode row : s.flow().path("lag")) {
                    if (row.path("windows").asInt() > 0) {
                        out.printf(
                                Locale.ROOT,
                                "  lag (live)    window close -> %-9s p50 %.1f s, p99 %.1f s (%d windows in the last minute)%n",
                                row.path("output").asText().equals("Detected")
                                        ? "closed"
                                        : row.path("output").asText(),
                                row.path("p50").asLong() / 1000.0,
                                row.path("p99").asLong() / 1000.0,
                                row.path("windows").asInt());
                    }
                }
            });
            Map<String, Long> rss = peakRss();
            cpuByProcess()
                    .forEach((name, cpu) -> out.printf(
                            Locale.ROOT,
                            "  process       %-28s CPU %5.0f %% of a core, peak RSS %,5d MB%n",
                            name,
                            cpu,
                            rss.getOrDefault(name, 0L) / 1_000_000));
            out.printf(Locale.ROOT, "  bottleneck    %s%n", bottleneck());
            out.printf(Locale.ROOT, "  result        %s%n", carried() ? "carried" : "NOT carried: " + whyNot());
        }

        private static long total(JsonNode flow, String stage, String key) {
            return counter(flow, stage, key).path("total").asLong();
        }

        private static double rate(JsonNode flow, String stage, String key) {
            return counter(flow, stage, key).path("perSecond").asDouble(0);
        }

        /** A stage's counter in a Flow snapshot (a missing node when absent). */
        private static JsonNode counter(JsonNode flow, String stage, String key) {
            for (JsonNode s : flow.path("stages")) {
                if (s.path("id").asText().equals(stage)) {
                    for (JsonNode c : s.path("counters")) {
                        if (c.path("key").asText().equals(key)) {
                            return c;
                        }
                    }
                }
            }
            return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        }
    }

    private static void deleteRecursively(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (var paths = Files.walk(folder)) {
            for (Path p : paths.sorted(Collections.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
