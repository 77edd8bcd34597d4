package io.github.iottelemetry.processor.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code stream-processor replay ... --json} as its own JVM, as {@code ./pipeline processor replay} runs it: by
 * main class, configured by the environment only (endpoints, table, bucket).
 */
record ReplayRun(int exitCode, JsonNode summary, String stderr) {

    static ReplayRun run(Map<String, String> environment, Path logs, String name, String... arguments)
            throws IOException, InterruptedException {
        Files.createDirectories(logs);
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                classpath,
                "io.github.iottelemetry.processor.cli.StreamProcessorCommand",
                "replay",
                "--json",
                "--write-threads",
                "8"));
        command.addAll(List.of(arguments));
        Path out = logs.resolve(name + ".json");
        Path err = logs.resolve(name + ".err");
        ProcessBuilder pb =
                new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().putAll(environment);
        Process p = pb.start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("replay " + name + " did not finish in 180 s; see " + err);
        }
        String stdout = Files.readString(out, StandardCharsets.UTF_8);
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        if (stdout.isBlank()) {
            throw new AssertionError(
                    "replay " + name + " exited " + p.exitValue() + " without a summary; stderr:\n" + stderr);
        }
        return new ReplayRun(p.exitValue(), new ObjectMapper().readTree(stdout), stderr);
    }

    long number(String field) {
        JsonNode n = summary.get(field);
        if (n == null || !n.isNumber()) {
            throw new AssertionError("summary has no number " + field + ": " + summary);
        }
        return n.asLong();
    }

    long skipped(String reason) {
        return summary.get("skipped").path(reason).asLong(0);
    }
}
