package io.github.iottelemetry.localcloud.dynamodb;

import io.github.iottelemetry.localcloud.process.EngineStartException;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * DynamoDB Local inside this JVM. One shared database ({@code -sharedDb}), so clients see the same tables
 * whatever dummy credentials or region they sign with: a file in the data folder, or memory only.
 */
public final class DynamoDbLocalServer implements AutoCloseable {

    private final DynamoDBProxyServer server;
    private final int port;

    private DynamoDbLocalServer(DynamoDBProxyServer server, int port) {
        this.server = server;
        this.port = port;
    }

    public static DynamoDbLocalServer start(int port, Path dataDirectory, boolean inMemory) {
        try {
            Files.createDirectories(dataDirectory);
            List<String> args = new ArrayList<>(List.of("-port", Integer.toString(port), "-sharedDb", "-disableTelemetry"));
            args.addAll(inMemory ? List.of("-inMemory") : List.of("-dbPath", dataDirectory.toString()));
            DynamoDBProxyServer server = withoutStartupBanner(() -> ServerRunner.createServerFromCommandLineArgs(args.toArray(String[]::new)));
            server.start();
            return new DynamoDbLocalServer(server, port);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the DynamoDB Local data folder " + dataDirectory, e);
        } catch (Exception e) {
            throw new EngineStartException("DynamoDB Local did not start on port " + port + " with data "
                    + (inMemory ? "in memory" : "in " + dataDirectory) + ": " + e.getMessage(), e);
        }
    }

    private interface ServerFactory {
        DynamoDBProxyServer create() throws Exception;
    }

    /**
     * DynamoDB Local prints its configuration to System.out, which would land in the middle of
     * `pipeline up`'s output and of test logs; the same facts are in the local cloud's own output.
     */
    private static DynamoDBProxyServer withoutStartupBanner(ServerFactory factory) throws Exception {
        PrintStream console = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8));
        try {
            return factory.create();
        } finally {
            System.setOut(console);
        }
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("DynamoDB Local on port " + port + " did not stop cleanly", e);
        }
    }
}
