package io.github.iottelemetry.localcloud;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * kinesalite's sequence numbers on BigInt (kinesalite-sequences.js, which kinesalite-server.js installs) give what
 * kinesalite's bignumber.js functions give: the check script compares both on random and edge inputs under node.
 */
class KinesaliteSequencesIT {

    @Test
    void bigIntSequencesEqualKinesalites() throws IOException, InterruptedException {
        Path script = EngineInstallation.locate().nodeScript("kinesalite-sequences-check.js");
        Process node = new ProcessBuilder("node", script.toString(), "30000")
                .directory(script.getParent().toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(node.waitFor(120, TimeUnit.SECONDS)).as("check finished").isTrue();
        assertThat(node.exitValue()).as(output).isZero();
        assertThat(output).containsPattern("kinesalite sequences: \\d{6,} inputs compared, none differ");
    }
}
