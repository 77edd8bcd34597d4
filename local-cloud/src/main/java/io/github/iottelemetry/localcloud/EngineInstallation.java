package io.github.iottelemetry.localcloud;

import io.github.iottelemetry.localcloud.process.EngineStartException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The engine files the module's build installs next to its classes (target/local-cloud-engines): the
 * npm engines (Kinesis emulators, DynamoDB) with their start scripts, and the S3 engine's jars. The system property {@code localcloud.engines.dir}
 * points elsewhere when the classes run from a jar outside the module's target folder.
 */
public record EngineInstallation(Path directory) {

    public static final String DIRECTORY_PROPERTY = "localcloud.engines.dir";
    private static final String BUILD_HINT = "build it with `./mvnw -q -pl local-cloud -am package -DskipTests`";

    public static EngineInstallation locate() {
        String configured = System.getProperty(DIRECTORY_PROPERTY);
        Path directory = configured != null ? Path.of(configured) : besideTheseClasses();
        if (!Files.isDirectory(directory)) {
            throw new EngineStartException("local cloud engines not found in " + directory + "; " + BUILD_HINT
                    + " or set -D" + DIRECTORY_PROPERTY + "=<folder>");
        }
        return new EngineInstallation(directory.toAbsolutePath());
    }

    /**
     * Naming a folder, this environment variable turns on V8's CPU profiler in every node engine (kinesalite, dynalite,
     * kinesis-mock): each writes a {@code .cpuprofile} there when it exits (node refuses the flag in NODE_OPTIONS).
     */
    public static final String NODE_CPU_PROFILE_DIRECTORY = "LOCAL_CLOUD_NODE_CPU_PROFILE_DIR";

    /**
     * The command that runs node with these arguments: {@code node}, the profiler's flags when
     * {@link #NODE_CPU_PROFILE_DIRECTORY} is set, then the arguments; a list the caller may add to.
     */
    public static List<String> node(String... arguments) {
        List<String> command = new ArrayList<>(List.of("node"));
        String folder = System.getenv(NODE_CPU_PROFILE_DIRECTORY);
        if (folder != null && !folder.isBlank()) {
            command.addAll(
                    List.of("--cpu-prof", "--cpu-prof-dir=" + Path.of(folder).toAbsolutePath()));
        }
        command.addAll(List.of(arguments));
        return command;
    }

    public Path nodeModules() {
        return require(nodeEngines().resolve("node_modules"), "npm engines");
    }

    public Path nodeScript(String name) {
        return require(nodeEngines().resolve(name), "node script " + name);
    }

    private Path nodeEngines() {
        return directory.resolve("node-engines");
    }

    /** The S3 engine's runnable jar (module local-s3), with S3Proxy's jar beside it. */
    public Path localS3Jar() {
        require(directory.resolve("s3proxy.jar"), "S3Proxy jar");
        return require(directory.resolve("local-s3.jar"), "local S3 engine jar");
    }

    private static Path require(Path path, String what) {
        if (!Files.exists(path)) {
            throw new EngineStartException(what + " missing at " + path + "; " + BUILD_HINT);
        }
        return path;
    }

    /** target/classes or target/local-cloud-*.jar: either way the engines folder is in the same target folder. */
    private static Path besideTheseClasses() {
        try {
            Path codeSource = Path.of(EngineInstallation.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
            return codeSource.getParent().resolve("local-cloud-engines");
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the local-cloud classes", e);
        }
    }
}
