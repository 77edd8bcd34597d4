package io.github.iottelemetry.demo;

import io.github.iottelemetry.localcloud.process.ProcessTree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The demo's other processes (stream-processor workers, the simulator), started through the project's
 * launcher as a user would start them, with the local cloud's environment; each logs to its own file,
 * and all are stopped when the demo ends.
 */
final class ChildProcesses implements AutoCloseable {
    /** What a child gets to finish its work (a worker's last checkpoint) after SIGTERM, before SIGKILL. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);

    private final Path home;
    private final Path logs;
    private final Map<String, String> environment;
    private final List<Process> running = new ArrayList<>();

    ChildProcesses(Path home, Path logs, Map<String, String> environment) throws IOException {
        this.home = home;
        this.logs = Files.createDirectories(logs);
        this.environment = environment;
    }

    /** Starts {@code ./pipeline <arguments>} in the background; output goes to {@code <logs>/<name>.log}. */
    Process start(String name, List<String> arguments) throws IOException {
        Process p = builder(name, arguments).start();
        running.add(p);
        return p;
    }

    /** Runs {@code ./pipeline <arguments>} to completion and returns its standard output; fails with its log. */
    String run(String name, List<String> arguments, long timeoutSeconds) throws IOException, InterruptedException {
        Path out = logs.resolve(name + ".out");
        Process p = builder(name, arguments).redirectOutput(out.toFile()).start();
        running.add(p);
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            ProcessTree.stop(p.toHandle(), STOP_GRACE);
            throw new IllegalStateException(
                    name + " did not finish in " + timeoutSeconds + " s; log: " + logs.resolve(name + ".log"));
        }
        running.remove(p);
        String stdout = Files.readString(out);
        if (p.exitValue() != 0) {
            throw new IllegalStateException(
                    name + " failed (exit " + p.exitValue() + "):\n" + tail(logs.resolve(name + ".log")) + stdout);
        }
        return stdout;
    }

    private ProcessBuilder builder(String name, List<String> arguments) {
        List<String> command = new ArrayList<>();
        command.add(home.resolve("pipeline").toString());
        command.addAll(arguments);
        ProcessBuilder pb = new ProcessBuilder(command).directory(home.toFile());
        pb.environment().putAll(environment);
        pb.redirectError(
                ProcessBuilder.Redirect.appendTo(logs.resolve(name + ".log").toFile()));
        pb.redirectOutput(
                ProcessBuilder.Redirect.appendTo(logs.resolve(name + ".log").toFile()));
        return pb;
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())) + "\n";
        } catch (IOException e) {
            return "(no log at " + log + ")\n";
        }
    }

    @Override
    public void close() {
        ProcessTree.stopAll(running.stream().map(Process::toHandle).toList(), STOP_GRACE);
    }
}
