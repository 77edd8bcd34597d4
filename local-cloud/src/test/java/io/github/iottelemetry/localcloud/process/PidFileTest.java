package io.github.iottelemetry.localcloud.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PidFileTest {

    @TempDir
    Path state;

    @Test
    void stopsEnginesWhoseOwnerDied() throws Exception {
        Process orphan = new ProcessBuilder("sleep", "300").start();
        Process deadOwner = new ProcessBuilder("true").start();
        deadOwner.waitFor(10, TimeUnit.SECONDS);
        PidFile pids = new PidFile(state.resolve("pids"));
        pids.recordOwner(deadOwner.toHandle());
        pids.record(orphan.toHandle(), "kinesalite");

        List<String> stopped = new PidFile(state.resolve("pids")).stopOrphans();

        assertThat(orphan.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(stopped).singleElement().asString().contains("kinesalite").contains(Long.toString(orphan.pid()));
        assertThat(state.resolve("pids")).doesNotExist();
    }

    @Test
    void refusesToStartWhileTheOwnerStillRuns() throws Exception {
        Process engine = new ProcessBuilder("sleep", "300").start();
        try {
            PidFile pids = new PidFile(state.resolve("pids"));
            pids.recordOwner(ProcessHandle.current());
            pids.record(engine.toHandle(), "S3Proxy");

            assertThatThrownBy(() -> new PidFile(state.resolve("pids")).stopOrphans())
                    .isInstanceOf(EngineStartException.class)
                    .hasMessageContaining("already running")
                    .hasMessageContaining("pid " + ProcessHandle.current().pid());
            assertThat(engine.isAlive()).isTrue();
        } finally {
            engine.destroyForcibly();
        }
    }

    @Test
    void leavesAProcessAloneWhosePidWasReused() throws IOException {
        Process stranger = new ProcessBuilder("sleep", "300").start();
        try {
            // Same pid, different start time: another program got the pid after our engine died.
            Files.writeString(state.resolve("pids"), stranger.pid() + " " + Instant.EPOCH + " kinesalite\n");

            assertThat(new PidFile(state.resolve("pids")).stopOrphans()).isEmpty();
            assertThat(stranger.isAlive()).isTrue();
        } finally {
            stranger.destroyForcibly();
        }
    }
}
