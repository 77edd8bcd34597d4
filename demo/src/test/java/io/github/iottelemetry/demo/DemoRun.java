package io.github.iottelemetry.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * `./pipeline demo` run as a user runs it, in its own process on the packages the build just made, with its state in
 * {@code state/cloud}: whether it finished in time, its exit code and its output (the JSON log lines left out).
 */
record DemoRun(boolean finished, int exitCode, List<String> output, Path state) {

    static DemoRun of(Path state, String... arguments) throws IOException, InterruptedException {
        Path home = Path.of("..").toAbsolutePath().normalize();
        Path log = state.resolve("demo.out");
        List<String> command = new ArrayList<>(List.of(home.resolve("pipeline").toString(), "demo"));
        command.addAll(List.of(arguments));
        command.addAll(List.of("--state-dir", state.resolve("cloud").toString(), "--drain-timeout", "4m"));
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("PIPELINE_PREBUILT", "1");
        Process demo = pb.start();
        boolean finished = demo.waitFor(10, TimeUnit.MINUTES);
        if (!finished) {
            demo.descendants().forEach(ProcessHandle::destroyForcibly);
            demo.destroyForcibly();
            demo.waitFor(30, TimeUnit.SECONDS);
        }
        List<String> out = Files.readAllLines(log).stream()
                .filter(l -> !l.startsWith("{\"level\""))
                .toList();
        return new DemoRun(finished, finished ? demo.exitValue() : -1, out, state);
    }

    /** The last {@code lines} lines of output, for assertion messages. */
    String tail(int lines) {
        return String.join("\n", output.subList(Math.max(0, output.size() - lines), output.size()));
    }
}
