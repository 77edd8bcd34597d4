package io.github.iottelemetry.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
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

    private static final Path HOME = Path.of("..").toAbsolutePath().normalize();
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
        Path log = work.resolve("walkthrough.log");
        ProcessBuilder bash = new ProcessBuilder("bash", script.toString())
                .directory(HOME.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        bash.environment().put("STATE", work.resolve("state").toString());
        bash.environment().put("PIPELINE_PREBUILT", "1");
        Process run = bash.start();
        boolean finished = run.waitFor(8, TimeUnit.MINUTES);
        if (!finished) {
            run.descendants().forEach(ProcessHandle::destroyForcibly);
            run.destroyForcibly();
        }
        List<String> output = Files.readAllLines(log, StandardCharsets.UTF_8).stream()
                .filter(l -> !l.startsWith("{\""))
                .toList();
        String tail = String.join("\n", output.subList(Math.max(0, output.size() - 60), output.size()));
        assertThat(finished)
                .as("the walkthrough finished in 8 minutes:%n%s", tail)
                .isTrue();
        assertThat(run.exitValue()).as("the walkthrough's exit code:%n%s", tail).isZero();
        assertThat(output).as(tail).contains("verdict: EXACT");
    }
}
