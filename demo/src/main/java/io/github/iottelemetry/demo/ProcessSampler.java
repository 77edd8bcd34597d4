package io.github.iottelemetry.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU time and resident memory of a process and everything it started, from Linux's /proc, each named by what it
 * runs: the demo's own JVM (the local cloud with IoT Core and the ingest Lambda), the engines (kinesalite, dynalite,
 * S3Proxy), the stream-processor workers and the simulator.
 */
final class ProcessSampler {

    /** Linux's USER_HZ: /proc reports CPU time in these ticks. */
    private static final double TICKS_PER_SECOND = 100.0;

    private final ProcessHandle root;

    record Usage(double cpuSeconds, long rssBytes) {}

    ProcessSampler(ProcessHandle root) {
        this.root = root;
    }

    /** Per process name: CPU seconds used so far and resident memory now (processes sharing a name add up). */
    Map<String, Usage> sample() {
        Map<String, Usage> usage = new TreeMap<>();
        java.util.stream.Stream.concat(java.util.stream.Stream.of(root), root.descendants())
                .forEach(p -> read(p).ifPresent(u -> usage.merge(
                        name(p),
                        u,
                        (a, b) -> new Usage(a.cpuSeconds() + b.cpuSeconds(), a.rssBytes() + b.rssBytes()))));
        return usage;
    }

    private static java.util.Optional<Usage> read(ProcessHandle p) {
        try {
            Path proc = Path.of("/proc", Long.toString(p.pid()));
            String stat = Files.readString(proc.resolve("stat"));
            // Fields after the command name, which is in parentheses and may hold spaces.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            double cpu = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
            long rss = 0;
            for (String line : Files.readAllLines(proc.resolve("status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
            return java.util.Optional.of(new Usage(cpu, rss));
        } catch (IOException | RuntimeException e) {
            return java.util.Optional.empty(); // gone meanwhile
        }
    }

    /** /proc/<pid>/cmdline: NUL-separated, complete (ProcessHandle.Info may leave the arguments out). */
    private static List<String> commandLine(ProcessHandle p) {
        try {
            String raw = Files.readString(Path.of("/proc", Long.toString(p.pid()), "cmdline"));
            return List.of(raw.split("\0"));
        } catch (IOException | RuntimeException e) {
            return p.info().arguments().map(List::of).orElse(List.of());
        }
    }

    /** A readable name from the command line (the launcher execs java, so a command's JVM is its process). */
    static String name(ProcessHandle p) {
        List<String> args = commandLine(p);
        String command = args.isEmpty() ? p.info().command().orElse("?") : args.get(0);
        String all = String.join(" ", args);
        if (all.contains("DemoCommand")) {
            return "local cloud JVM (IoT, rules, Lambda)";
        }
        if (all.contains("StreamProcessorCommand")) {
            int id = args.indexOf("--worker-id");
            return "processor " + (id >= 0 && id + 1 < args.size() ? args.get(id + 1) : "");
        }
        if (all.contains("SimCommand")) {
            return "simulator";
        }
        if (all.contains("kinesalite") || all.contains("kinesis")) {
            return all.contains("dynalite") ? "dynalite" : "kinesis engine (kinesalite)";
        }
        if (all.contains("dynalite")) {
            return "dynalite";
        }
        if (all.contains("LocalS3") || all.contains("s3proxy")) {
            return "S3Proxy";
        }
        if (command.endsWith("bash") || command.endsWith("sh")) {
            return "launcher";
        }
        return Path.of(command).getFileName() + " " + p.pid();
    }
}
