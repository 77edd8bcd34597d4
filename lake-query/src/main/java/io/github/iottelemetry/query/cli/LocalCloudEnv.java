package io.github.iottelemetry.query.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The local cloud's client settings, from the shell exports `pipeline up` writes to {@code <state>/env}. */
public record LocalCloudEnv(Path stateDir, Map<String, String> values) {

    public static LocalCloudEnv read(Path stateDir) {
        Path env = stateDir.resolve("env");
        if (!Files.isRegularFile(env)) {
            throw new IllegalStateException("no " + env + ": start the local cloud (./pipeline up) first");
        }
        Map<String, String> values = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(env)) {
                String l = line.strip();
                if (l.startsWith("export ")) {
                    l = l.substring("export ".length());
                }
                int eq = l.indexOf('=');
                if (eq > 0 && !l.startsWith("#")) {
                    values.put(l.substring(0, eq), unquote(l.substring(eq + 1)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + env, e);
        }
        return new LocalCloudEnv(stateDir, values);
    }

    public String require(String name) {
        String v = values.get(name);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException(stateDir.resolve("env") + " has no " + name);
        }
        return v;
    }

    /** The lake bucket's folder in the local S3 engine (one file per object key). */
    public Path lakeFolder() {
        return stateDir.resolve("s3").resolve("buckets").resolve(require("LAKE_BUCKET"));
    }

    private static String unquote(String v) {
        String s = v.strip();
        if (s.length() >= 2 && (s.charAt(0) == '\'' || s.charAt(0) == '"') && s.charAt(s.length() - 1) == s.charAt(0)) {
            return s.substring(1, s.length() - 1);
        }
        return s;
    }
}
