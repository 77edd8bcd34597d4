package io.github.iottelemetry.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs cfn-lint (which also expands the SAM transform) on the project's template.yaml and fails on any
 * error, warning or informational finding. Skipped, with the reason in the test report, where cfn-lint
 * is not installed.
 */
class CfnLintTest {

    @Test
    void templateHasNoCfnLintFindings() throws IOException, InterruptedException {
        Optional<Path> cfnLint = findOnPath("cfn-lint");
        assumeTrue(
                cfnLint.isPresent(),
                "cfn-lint is not on PATH, so template.yaml was NOT linted; install it with `pip install cfn-lint`");
        Path root = ProjectTemplate.projectRoot();

        // Output to a file, not a pipe: a pipe nobody reads while waiting fills up and blocks cfn-lint.
        Path output = Files.createTempFile("cfn-lint", ".txt");
        Process lint = new ProcessBuilder(cfnLint.get().toString(), "--format", "parseable", "template.yaml")
                .directory(root.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        boolean finished = lint.waitFor(180, TimeUnit.SECONDS);
        if (!finished) {
            lint.destroyForcibly();
        }
        String findings = Files.readString(output, StandardCharsets.UTF_8).strip();
        Files.deleteIfExists(output);

        assertThat(finished).as("cfn-lint finished within 180 s").isTrue();
        assertThat(findings)
                .as("cfn-lint findings for %s", root.resolve("template.yaml"))
                .isEmpty();
        assertThat(lint.exitValue()).as("cfn-lint exit code").isZero();
    }

    private static Optional<Path> findOnPath(String executable) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String folder : path.split(File.pathSeparator)) {
            Path candidate = Path.of(folder, executable);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
