package io.github.iottelemetry.template;

import java.nio.file.Path;

/**
 * Where the local cloud keeps its state (engine data, logs, the env file), as every command finds it: the folder
 * {@code ./pipeline up --state-dir DIR} exported as {@value #VARIABLE} in {@code DIR/env}, when that file is sourced;
 * else the project's {@code .local-cloud}.
 */
public final class LocalStateFolder {

    /** The env file's variable naming the state folder it belongs to. */
    public static final String VARIABLE = "LOCAL_CLOUD_STATE";

    private LocalStateFolder() {}

    public static Path of(Path projectHome) {
        String exported = System.getenv(VARIABLE);
        return exported != null && !exported.isBlank()
                ? Path.of(exported).toAbsolutePath()
                : projectHome.toAbsolutePath().resolve(".local-cloud");
    }
}
