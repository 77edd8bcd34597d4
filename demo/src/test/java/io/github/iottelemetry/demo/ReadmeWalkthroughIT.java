package io.github.iottelemetry.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * README's "Step by step" block, run literally by bash with a state folder of its own (not the default one): up in
 * the background, source its env file, a processor worker, sim provision and run, verify until EXACT. Every command
 * must find what it needs in the env file.
 */
class ReadmeWalkthroughIT {

    private static final Path HOME = DemoRun.HOME;
    private static final Pattern BLOCK = Pattern.compile(
            "<!-- walkthrough: ReadmeWalkthroughIT runs this block -->\\s*```bash\\n(.*?)```", Pattern.DOTALL);

    @TempDir
    Path work;

    @Test
    void readmesStepByStepCommandsRunAsWrittenWithAnotherStateFolder() throws Exception {
        Matcher block = BLOCK.matcher(Files.readString(HOME.resolve("README.md")));
        assertThat(block.find()).as("README has the walkthrough block").isTrue();
        Path script = work.resolve("walkthrough.sh");
        // The block as written; the test adds only stopping the background jobs, whatever happens.
        Files.writeString(
                script, "set -euo pipefail\ntrap 'kill $(jobs -p) 2>/dev/null; wait' EXIT\n" + block.group(1));
        DemoRun run = DemoRun.run(
                List.of("bash", script.toString()),
                Map.of("STATE", work.resolve("state").toString()),
                work.resolve("walkthrough.log"),
                Duration.ofMinutes(8));
        List<String> output = run.output();
        String tail = run.tail(60);
        boolean finished = run.finished();
        assertThat(finished)
                .as("the walkthrough finished in 8 minutes:%n%s", tail)
                .isTrue();
        assertThat(run.exitCode()).as("the walkthrough's exit code:%n%s", tail).isZero();
        assertThat(output).as(tail).contains("verdict: EXACT");
    }
}
