package io.github.iottelemetry.localcloud.dynamodb;

import io.github.iottelemetry.localcloud.EngineInstallation;
import io.github.iottelemetry.localcloud.process.ChildProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The local cloud's DynamoDB: dynalite (npm, Apache-2.0, on LevelDB) under node as a child process, on
 * plain HTTP at 127.0.0.1, through {@code dynalite-server.js}, which adds what the pipeline needs and
 * dynalite lacks (Time to Live with a sweep of expired items, global secondary indexes created by
 * UpdateTable) and names every other missing operation in its error.
 */
public final class DynamoDbEngine {

    public static final String NAME = "dynalite";
    /** How often expired items are deleted; DynamoDB itself does it within days, best effort. */
    public static final Duration DEFAULT_TTL_SWEEP = Duration.ofSeconds(60);
    /** What DynamoDB does that this engine does not, and what a client sees instead. */
    public static final String NOT_MODELLED =
            "transactions, backups and point-in-time recovery, DynamoDB Streams, PartiQL "
                    + "(refused as unknown operations); throughput limits and throttling, encryption at rest, deletion protection "
                    + "(accepted, not applied)";

    private DynamoDbEngine() {}

    /**
     * @param dataDirectory the LevelDB folder that keeps tables across restarts; ignored when {@code inMemory}
     */
    public static ChildProcess start(
            int port,
            Path dataDirectory,
            boolean inMemory,
            Duration ttlSweep,
            Path logFile,
            EngineInstallation installation) {
        List<String> command = EngineInstallation.node(
                installation.nodeScript("dynalite-server.js").toString(),
                "--port",
                Integer.toString(port),
                "--ttl-sweep-seconds",
                Long.toString(Math.max(1, ttlSweep.toSeconds())));
        if (!inMemory) {
            command.addAll(List.of("--path", dataDirectory.toString()));
        }
        Path workingDirectory = inMemory ? logFile.getParent() : dataDirectory;
        return ChildProcess.startServer(NAME, command, Map.of(), workingDirectory, logFile, port);
    }

    /** Data a DynamoDB Local of an earlier version of the local cloud left in the state folder: dynalite cannot read it. */
    public static boolean hasDynamoDbLocalData(Path dynamoDbFolder) {
        return Files.exists(dynamoDbFolder.resolve("shared-local-instance.db"));
    }
}
