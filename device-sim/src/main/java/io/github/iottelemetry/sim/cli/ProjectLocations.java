package io.github.iottelemetry.sim.cli;

import io.github.iottelemetry.template.LocalStateFolder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Where the local cloud keeps its state ({@code .local-cloud}) and what {@code pipeline up} wrote to its env file. */
final class ProjectLocations {

    private ProjectLocations() {}

    static Path projectHome() {
        return Path.of(System.getProperty("pipeline.home", "."))
                .toAbsolutePath()
                .normalize();
    }

    static Path localCloudState() {
        return LocalStateFolder.of(projectHome());
    }

    /**
     * The local CA's folder: the one holding IOT_CA_FILE of the sourced env file or of {@code .local-cloud/env} (so
     * {@code up --state-dir DIR} then {@code source DIR/env} signs with DIR's CA), else the default state folder's.
     */
    static Path localCaFolder() {
        return localCloudVariable("IOT_CA_FILE")
                .map(file -> Path.of(file).toAbsolutePath().getParent())
                .orElse(localCloudState().resolve("iot").resolve("ca"));
    }

    /**
     * A variable of the running local cloud: from this process's environment (the user sourced its env file), else
     * from {@code .local-cloud/env} ({@code export NAME='value'} lines).
     */
    static Optional<String> localCloudVariable(String name) {
        String exported = System.getenv(name);
        if (exported != null && !exported.isBlank()) {
            return Optional.of(exported);
        }
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
