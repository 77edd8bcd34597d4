package io.github.iottelemetry.localcloud;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The local cloud's client environment as a file of shell exports: {@code source .local-cloud/env}. */
public final class EnvFile {

    private EnvFile() {}

    public static void write(Path file, Map<String, String> environment) {
        List<String> lines = new ArrayList<>();
        lines.add(
                "# Written by `pipeline up` (or `pipeline demo`) while the local cloud runs; `source` it in a shell to use the AWS CLI or SDKs.");
        environment.forEach((name, value) -> lines.add("export " + name + "=" + shellQuoted(value)));
        try {
            Files.createDirectories(file.getParent());
            Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
            Files.write(temporary, lines, StandardCharsets.UTF_8);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the env file " + file, e);
        }
    }

    static String shellQuoted(String value) {
        return "'" + value.replace("'", "'\\''") + "'";
    }
}
