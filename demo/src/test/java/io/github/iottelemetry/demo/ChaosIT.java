package io.github.iottelemetry.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `./pipeline demo --chaos`, run as a user runs it: while a small fleet with heavy faults runs, the stream splits a shard
 * and merges the children, a worker is frozen past its lease and woken, another is killed and replaced, and the ingest
 * function fails one batch and times out half-way through another. Verify must still say EXACT: DynamoDB and the lake
 * against an expectation computed independently from the ledger, and the raw archive holding each record once.
 */
class ChaosIT {

    @TempDir
    Path state;

    @Test
    void everyChaosStepIsAppliedAndTheOutputsAreStillExact() throws Exception {
        DemoRun run = DemoRun.of(state, "--chaos", "--devices", "40", "--duration", "60s", "--faults", "heavy");
        List<String> out = run.output();
        String tail = run.tail(60) + workerLogs();
        boolean finished = run.finished();
        assertThat(finished).as("chaos demo finished in 10 minutes:%n%s", tail).isTrue();

        List<String> chaos = out.stream().filter(l -> l.startsWith("  chaos ")).toList();
        assertThat(chaos).as(tail).noneMatch(l -> l.contains("FAILED"));
        assertThat(chaos)
                .as(tail)
                .anyMatch(l -> l.contains("next invocation fails"))
                .anyMatch(l -> l.contains("stream: split shardId-"))
                .anyMatch(l -> l.contains("frozen with SIGSTOP"))
                .anyMatch(l -> l.contains("woken with SIGCONT"))
                .anyMatch(l -> l.contains("times out after the writes of half its batch"))
                .anyMatch(l -> l.contains("stream: merged shardId-"))
                .anyMatch(l -> l.contains("killed with SIGKILL"))
                .anyMatch(l -> l.contains("a new process started in its place"));
        assertThat(run.exitCode()).as("chaos demo exit code:%n%s", tail).isZero();
        assertThat(out)
                .as(tail)
                .contains("verdict: EXACT")
                .anyMatch(l -> l.equals("  verify        EXACT"))
                .anyMatch(l -> l.startsWith("raw archive: ")
                        && l.contains("archived twice 0, acknowledged messages missing 0," + " unknown messages 0"));
    }

    /** The ends of the workers' logs, for a failure message: the run's folder is gone once the test ends. */
    private String workerLogs() throws java.io.IOException {
        Path logs = state.resolve("cloud/logs/demo");
        if (!Files.isDirectory(logs)) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        try (var files = Files.list(logs)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("processor-"))
                    .sorted()
                    .toList()) {
                List<String> lines = Files.readAllLines(file);
                out.append("\n--- ")
                        .append(file.getFileName())
                        .append(" (last 25 lines)\n")
                        .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 25), lines.size())));
            }
        }
        return out.toString();
    }
}
