package io.github.iottelemetry.demo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The JVM options the demo gives its stream-processor workers through the launcher. */
class WorkerJavaOptionsTest {

    @Test
    void workersCompileWithC1Only() {
        assertThat(DemoCommand.workerJavaOptions(null)).isEqualTo("-XX:TieredStopAtLevel=1");
        assertThat(DemoCommand.workerJavaOptions("  ")).isEqualTo("-XX:TieredStopAtLevel=1");
    }

    @Test
    void theUsersOptionsComeLastSoTheyWin() {
        // the JVM takes the last of repeated -XX options: a user who wants C2 back gives TieredStopAtLevel=4
        assertThat(DemoCommand.workerJavaOptions(" -XX:TieredStopAtLevel=4 -XX:StartFlightRecording=filename=/tmp/r/ "))
                .isEqualTo("-XX:TieredStopAtLevel=1 -XX:TieredStopAtLevel=4 -XX:StartFlightRecording=filename=/tmp/r/");
    }
}
