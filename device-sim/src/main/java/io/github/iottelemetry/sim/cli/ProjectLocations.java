package io.github.iottelemetry.sim.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Where the local cloud keeps its state ({@code .local-cloud}) and what {@code pipeline up} wrote to its env file. */
final class ProjectLocations {

    private ProjectLocations() {
    }

    static Path projectHome() {
        return Path.of(System.getProperty("pipeline.home", ".")).toAbsolutePath().normalize();
    }

    static Path localCloudState() {
        return projectHome().resolve(".local-cloud");
    }

    /** The local CA's folder, as LocalIotOptions.caDirectory() lays it out under the local cloud's state folder. */
    static Path localCaFolder() {
        return localCloudState().resolve("iot").resolve("ca");
    }

    /** A variable from {@code .local-cloud/env} ({@code export NAME='value'} lines), when the local cloud runs. */
    static Optional<String> localCloudVariable(String name) {
        Path env = localCloudState().resolve("env");
        if (!Files.isRegularFile(env)) {
            return Optional.empty();
        }
        Map<String, String> values = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(env)) {
                String trimmed = line.strip();
                if (trimmed.startsWith("export ")) {
                    trimmed = trimmed.substring("export ".length());
                }
                int equals = trimmed.indexOf('=');
                if (trimmed.startsWith("#") || equals < 1) {
                    continue;
                }
                String value = trimmed.substring(equals + 1);
                if (value.length() >= 2 && value.startsWith("'") && value.endsWith("'")) {
                    value = value.substring(1, value.length() - 1).replace("'\\''", "'");
                }
                values.put(trimmed.substring(0, equals), value);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + env, e);
        }
        return Optional.ofNullable(values.get(name));
    }
}
