package io.github.iottelemetry.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * `./pipeline demo` (or another command line, such as README's walkthrough) run as a user runs it, in its own process
 * on the packages the build just made: whether it finished in time, its exit code and its output (the JSON log lines
 * left out).
 */
record DemoRun(boolean finished, int exitCode, List<String> output, Path state) {

    static final Path HOME = Path.of("..").toAbsolutePath().normalize();

    static DemoRun of(Path state, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(HOME.resolve("pipeline").toString(), "demo"));
        command.addAll(List.of(arguments));
        command.addAll(List.of("--state-dir", state.resolve("cloud").toString(), "--drain-timeout", "4m"));
        return run(command, Map.of(), state.resolve("demo.out"), Duration.ofMinutes(10));
    }

    /**
     * Runs {@code command} from the project folder on the packages the build just made, its output to {@code log};
     * stops it and everything it started when it takes longer than {@code timeout}.
     */
    static DemoRun run(List<String> command, Map<String, String> environment, Path log, Duration timeout)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(HOME.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("PIPELINE_PREBUILT", "1");
        pb.environment().putAll(environment);
        Process process = pb.start();
        boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!finished) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
        List<String> out = Files.readAllLines(log).stream()
                .filter(l -> !l.startsWith("{\""))
                .toList();
        return new DemoRun(finished, finished ? process.exitValue() : -1, out, log.getParent());
    }

    /** The last {@code lines} lines of output, for assertion messages. */
    String tail(int lines) {
        return String.join("\n", output.subList(Math.max(0, output.size() - lines), output.size()));
    }

    /**
     * Starts {@code ./pipeline demo <arguments>} in the background (state under {@code state/cloud}, output to
     * {@code state/demo.out}), for tests that watch it while it runs.
     */
    static Running start(Path state, String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(HOME.resolve("pipeline").toString(), "demo"));
        command.addAll(List.of(arguments));
        command.addAll(List.of("--state-dir", state.resolve("cloud").toString(), "--drain-timeout", "4m"));
        Path log = state.resolve("demo.out");
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(HOME.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("PIPELINE_PREBUILT", "1");
        return new Running(pb.start(), log, state);
    }

    /** A demo running in the background. */
    record Running(Process process, Path log, Path state) implements AutoCloseable {

        /** The output so far, the JSON log lines left out. */
        List<String> output() throws IOException {
            return Files.readAllLines(log).stream()
                    .filter(l -> !l.startsWith("{\""))
                    .toList();
        }

        /** Waits for an output line that {@code matches}; fails with the output's tail when it does not come in time. */
        String awaitLine(java.util.function.Predicate<String> matches, Duration timeout)
                throws IOException, InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                for (String line : output()) {
                    if (matches.test(line)) {
                        return line;
                    }
                }
                if (!process.isAlive()) {
                    break;
                }
                Thread.sleep(500);
            }
            List<String> out = output();
            throw new AssertionError("the demo did not print the line looked for within " + timeout
                    + (process.isAlive() ? "" : " (it exited with " + process.exitValue() + ")") + ":\n"
                    + String.join("\n", out.subList(Math.max(0, out.size() - 40), out.size())));
        }

        /** SIGTERM (what Ctrl-C does too), then everything it started is gone within a minute. */
        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }
}
