package io.github.iottelemetry.localcloud.kinesis;

import io.github.iottelemetry.localcloud.EngineInstallation;
import io.github.iottelemetry.localcloud.process.ChildProcess;
import io.github.iottelemetry.localcloud.process.PortAssignment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/** Runs the chosen Kinesis emulator under node as a child process, on plain HTTP at 127.0.0.1. */
public final class KinesisEmulator {

    private KinesisEmulator() {}

    /**
     * @param dataDirectory where the engine keeps streams and records between runs
     * @param otherEnginePorts ports the other engines are about to take: kinesis-mock's spare TLS listener avoids them
     */
    public static ChildProcess start(
            KinesisEngine engine,
            int port,
            Path dataDirectory,
            Path logFile,
            EngineInstallation installation,
            Set<Integer> otherEnginePorts) {
        return switch (engine) {
            case KINESALITE ->
                ChildProcess.startServer(
                        "kinesalite",
                        EngineInstallation.node(
                                installation.nodeScript("kinesalite-server.js").toString(),
                                Integer.toString(port),
                                dataDirectory.toString()),
                        Map.of(),
                        dataDirectory,
                        logFile,
                        port);
            // kinesis-mock reads its TLS certificate (server.json) from the working directory.
            case KINESIS_MOCK ->
                ChildProcess.startServer(
                        "kinesis-mock",
                        EngineInstallation.node(installation
                                .nodeModules()
                                .resolve("kinesis-local")
                                .resolve("main.js")
                                .toString()),
                        kinesisMockEnvironment(
                                port, spareTlsPort(port, otherEnginePorts), createDirectories(dataDirectory)),
                        installation.nodeModules().resolve("kinesis-local"),
                        logFile,
                        port);
        };
    }

    private static Path createDirectories(Path directory) {
        try {
            return Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the Kinesis data folder " + directory, e);
        }
    }

    /** kinesis-mock's TLS listener cannot be turned off; it gets a free port nobody uses. */
    private static int spareTlsPort(int plainPort, Set<Integer> otherEnginePorts) {
        int candidate = PortAssignment.freePort();
        while (candidate == plainPort || otherEnginePorts.contains(candidate)) {
            candidate = PortAssignment.freePort();
        }
        return candidate;
    }

    private static Map<String, String> kinesisMockEnvironment(int port, int tlsPort, Path dataDirectory) {
        return Map.ofEntries(
                Map.entry("KINESIS_MOCK_PLAIN_PORT", Integer.toString(port)),
                Map.entry("KINESIS_MOCK_TLS_PORT", Integer.toString(tlsPort)),
                Map.entry("SHOULD_PERSIST_DATA", "true"),
                Map.entry("LOAD_DATA_IF_EXISTS", "true"),
                Map.entry("PERSIST_PATH", dataDirectory.toString()),
                Map.entry("PERSIST_INTERVAL", "1s"),
                Map.entry("CREATE_STREAM_DURATION", "0ms"),
                Map.entry("DELETE_STREAM_DURATION", "0ms"),
                Map.entry("UPDATE_SHARD_COUNT_DURATION", "0ms"),
                Map.entry("SHARD_LIMIT", "1000"),
                Map.entry("LOG_LEVEL", "WARN"));
    }
}
