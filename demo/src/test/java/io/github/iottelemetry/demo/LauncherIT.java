package io.github.iottelemetry.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code ./pipeline} as a user runs it: every command runs on its module's jar and the runtime classpath Maven wrote
 * for that module (no test-scope artifact on it), and editing any module a command depends on (telemetry-core, which
 * demo does not declare) makes the next command build first. Runs after every module is packaged (demo is the last).
 */
class LauncherIT {

    private static final Path HOME = Path.of("..").toAbsolutePath().normalize();
    /** The project's test-scope dependencies (parent pom): none may reach a command's classpath. */
    private static final List<String> TEST_ONLY =
            List.of("junit-jupiter", "junit-platform", "assertj-core", "jqwik", "awaitility", "opentest4j", "hamcrest");

    @Test
    void everyCommandRunsOnItsModulesMavenRuntimeClasspathWithoutTestJars() throws Exception {
        Map<String, String> modules = commandModules();
        assertThat(modules).containsKeys("demo", "up", "iot", "processor", "sim", "query", "verify", "cost");
        for (Map.Entry<String, String> command : modules.entrySet()) {
            String module = command.getValue();
            List<String> classpath = pipeline(Map.of("PIPELINE_PREBUILT", "1"), "classpath", command.getKey())
                    .output();
            Path moduleTarget = HOME.resolve(module).resolve("target");
            List<String> expected = new ArrayList<>();
            try (var jars = Files.list(moduleTarget)) {
                expected.add(jars.map(Path::toString)
                        .filter(p -> p.matches(".*/" + Pattern.quote(module) + "-[^/]*\\.jar"))
                        .filter(p -> !p.endsWith("-tests.jar") && !p.endsWith("-sources.jar"))
                        .findFirst()
                        .orElseThrow());
            }
            expected.addAll(List.of(Files.readString(moduleTarget.resolve("runtime-classpath.txt"))
                    .strip()
                    .split(":")));
            assertThat(classpath)
                    .as("./pipeline %s: %s's jar and Maven's runtime classpath of %s", command.getKey(), module, module)
                    .containsExactlyElementsOf(expected);
            assertThat(classpath)
                    .as("./pipeline %s", command.getKey())
                    .noneMatch(entry -> TEST_ONLY.stream().anyMatch(name -> entry.contains("/" + name)))
                    .allMatch(entry -> Files.exists(Path.of(entry)));
        }
    }

    @Test
    void editingAModuleACommandDependsOnMakesTheNextCommandBuildFirst() throws Exception {
        Path stamp = HOME.resolve("target/pipeline-built");
        Path source = HOME.resolve("telemetry-core/src/main/java/io/github/iottelemetry/core/lake/LakeLayout.java");
        boolean hadStamp = Files.exists(stamp);
        FileTime stampTime = hadStamp ? Files.getLastModifiedTime(stamp) : null;
        FileTime sourceTime = Files.getLastModifiedTime(source);
        try {
            Files.createDirectories(stamp.getParent());
            Files.write(stamp, new byte[0]);
            Instant built = Instant.now().minusSeconds(60);
            Files.setLastModifiedTime(stamp, FileTime.from(built));
            Files.setLastModifiedTime(source, FileTime.from(built.minusSeconds(60)));
            Result current = pipeline(Map.of(), "stale");
            // Other files may be newer than a minute (the build itself); the edited one must be what makes it stale.
            Files.setLastModifiedTime(source, FileTime.from(Instant.now()));
            Result stale = pipeline(Map.of(), "stale");
            assertThat(stale.exitCode()).as("after an edit of telemetry-core").isEqualTo(1);
            if (current.exitCode() == 0) {
                assertThat(stale.output()).containsExactly(source.toString());
            }
        } finally {
            Files.setLastModifiedTime(source, sourceTime);
            if (hadStamp) {
                Files.setLastModifiedTime(stamp, stampTime);
            } else {
                Files.deleteIfExists(stamp);
            }
        }
    }

    /** Command name to module, from the launcher's own table. */
    private static Map<String, String> commandModules() throws IOException {
        Matcher line = Pattern.compile("\"([a-z-]+)\\|([a-z-]+)\\|([\\w.]+)\\|")
                .matcher(Files.readString(HOME.resolve("pipeline")));
        Map<String, String> modules = new java.util.LinkedHashMap<>();
        while (line.find()) {
            modules.put(line.group(1), line.group(2));
        }
        return modules;
    }

    private record Result(int exitCode, List<String> output) {}

    private static Result pipeline(Map<String, String> environment, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of(HOME.resolve("pipeline").toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder =
                new ProcessBuilder(command).directory(HOME.toFile()).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), output.lines().toList());
    }
}
