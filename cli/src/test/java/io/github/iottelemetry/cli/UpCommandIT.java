package io.github.iottelemetry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.iottelemetry.localcloud.process.PortAssignment;
import io.github.iottelemetry.localcloud.process.ProcessTree;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `pipeline up` as a user runs it, in its own JVM: it writes the env file when ready, leaves no
 * process behind on SIGTERM, and the next `up` stops the engines a SIGKILL orphaned.
 */
class UpCommandIT {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    Path state;

    @Test
    void sigtermStopsEveryEngineAndRemovesTheEnvFile() throws Exception {
        Process up = startUp();
        List<ProcessHandle> engines = awaitReady(up, 1);
        assertThat(Files.readString(state.resolve("env")))
                .contains("export STREAM_NAME='iot-telemetry-local-telemetry'")
                .contains("export JAVA_TOOL_OPTIONS='-Daws.cborEnabled=false'")
                .contains("export AWS_REQUEST_CHECKSUM_CALCULATION='when_required'");

        // --console: the web console on a free port, its Flow from the local cloud's own counters.
        String log = output();
        String console = log.lines()
                .filter(l -> l.startsWith("Console   http://127.0.0.1:"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no Console line in:\n" + log))
                .substring("Console   ".length())
                .strip();
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        String flow = http.send(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create(console + "api/flow"))
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString())
                .body();
        assertThat(flow).contains("\"id\":\"broker\"", "\"id\":\"ingest\"", "\"health\":\"");

        up.destroy();

        assertThat(up.waitFor(30, TimeUnit.SECONDS)).as("up exits on SIGTERM").isTrue();
        assertThat(engines).as("Kinesis, DynamoDB and S3 engines").hasSize(3).noneMatch(ProcessTree::isRunning);
        assertThat(state.resolve("env")).doesNotExist();
        assertThat(state.resolve("pids")).doesNotExist();
    }

    @Test
    void nextUpStopsEnginesOrphanedBySigkill() throws Exception {
        Process killed = startUp();
        List<ProcessHandle> orphans = awaitReady(killed, 1);
        killed.destroyForcibly();
        killed.waitFor(30, TimeUnit.SECONDS);
        assertThat(orphans).allMatch(ProcessTree::isRunning);

        Process next = startUp();
        try {
            awaitReady(next, 2);
            assertThat(orphans)
                    .as("engines of the killed run; output:%n%s", output())
                    .noneMatch(ProcessTree::isRunning);
            assertThat(Files.readString(state.resolve("up.log")))
                    .contains("stopped orphaned kinesalite", "stopped orphaned dynalite", "stopped orphaned S3Proxy");
        } finally {
            next.destroy();
            next.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private Process startUp() throws IOException {
        Path module = Path.of("").toAbsolutePath();
        String classpath = module.resolve("target/classes") + ":"
                + Files.readString(module.resolve("target/runtime-classpath.txt"))
                        .strip();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Daws.cborEnabled=false",
                "-Dpipeline.home=" + module.getParent(),
                "-cp",
                classpath,
                UpCommand.class.getName(),
                "--state-dir",
                state.toString(),
                "--kinesis-port",
                Integer.toString(PortAssignment.freePort()),
                "--dynamodb-port",
                Integer.toString(PortAssignment.freePort()),
                "--s3-port",
                Integer.toString(PortAssignment.freePort()),
                "--console",
                "--console-port",
                "0"));
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(
                        ProcessBuilder.Redirect.appendTo(state.resolve("up.log").toFile()))
                .start();
    }

    /**
     * Waits until the output shared by this test's runs holds {@code readyCount} "Ready in" lines (a
     * SIGKILLed run leaves its env file behind, so the file alone proves nothing) and returns the
     * engines {@code up} started.
     */
    private List<ProcessHandle> awaitReady(Process up, int readyCount) throws Exception {
        try {
            Awaitility.await()
                    .atMost(READY_TIMEOUT)
                    .pollInterval(Duration.ofMillis(100))
                    .failFast(
                            "up exited",
                            () -> assertThat(up.isAlive())
                                    .as("up is running; its output:%n%s", output())
                                    .isTrue())
                    .until(() -> readyLines() >= readyCount);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("up not ready within " + READY_TIMEOUT + "; its output:\n" + output(), e);
        }
        return up.toHandle().children().toList();
    }

    private long readyLines() throws IOException {
        return output().lines().filter(line -> line.startsWith("Ready in ")).count();
    }

    private String output() throws IOException {
        if (!Files.exists(state.resolve("up.log"))) {
            return "";
        }
        return Files.readString(state.resolve("up.log"), StandardCharsets.UTF_8);
    }
}
