package io.github.iottelemetry.localcloud.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An engine server running as a child process of this JVM. Its output goes to a log file, and a
 * shutdown hook stops it, so a Ctrl-C or SIGTERM of the JVM never leaves it running.
 */
public final class ChildProcess implements AutoCloseable {

    private static final Duration GRACEFUL_STOP = Duration.ofSeconds(5);
    /** Generous for 2 busy cores: the engines start in 1 to 7 s here. */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final String name;
    private final Process process;
    private final Path logFile;
    private final Thread stopOnJvmExit;
    private volatile boolean stopping;

    private ChildProcess(String name, Process process, Path logFile) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
        this.stopOnJvmExit = new Thread(this::stop, "stop " + name);
        Runtime.getRuntime().addShutdownHook(stopOnJvmExit);
        process.onExit().thenAccept(this::reportUnexpectedExit);
    }

    /**
     * An engine that exits while nobody stopped it takes every later request down with "connection refused": say
     * so where the user looks (standard error) and at the end of its log, with the exit status (128 + n: signal n).
     */
    private void reportUnexpectedExit(Process exited) {
        if (stopping) {
            return;
        }
        String message = "[local-cloud] " + name + " (pid " + exited.pid() + ") exited unexpectedly with status "
                + exited.exitValue() + "; its log " + logFile + " ends with:\n" + logTail();
        System.err.println(message);
        try {
            Files.writeString(
                    logFile,
                    "\n" + message.lines().findFirst().orElse(message) + "\n",
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException ignored) {
            // The message is on standard error already.
        }
    }

    /**
     * Starts a server and returns once it accepts connections on {@code port}; stops it again and
     * fails with the end of its log when it exits or stays silent for {@link #START_TIMEOUT}.
     */
    public static ChildProcess startServer(
            String name,
            List<String> command,
            Map<String, String> environment,
            Path workingDirectory,
            Path logFile,
            int port) {
        ChildProcess process = start(name, command, environment, workingDirectory, logFile);
        try {
            process.awaitListening(port, START_TIMEOUT);
        } catch (RuntimeException e) {
            process.close();
            throw e;
        }
        return process;
    }

    private static ChildProcess start(
            String name, List<String> command, Map<String, String> environment, Path workingDirectory, Path logFile) {
        try {
            Files.createDirectories(logFile.getParent());
            Files.createDirectories(workingDirectory);
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(workingDirectory.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(logFile.toFile());
            builder.environment().putAll(environment);
            return new ChildProcess(name, builder.start(), logFile);
        } catch (IOException e) {
            throw new EngineStartException(
                    name + " could not be started with `" + String.join(" ", command) + "`: " + e.getMessage(), e);
        }
    }

    /** Waits until the child accepts TCP connections on the port, failing early if it exits. */
    private void awaitListening(int port, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new EngineStartException(name + " exited with code " + process.exitValue()
                        + " before listening on port " + port + "; its log " + logFile + " ends with:\n" + logTail());
            }
            if (acceptsConnections(port)) {
                return;
            }
            sleep(Duration.ofMillis(50));
        }
        throw new EngineStartException(name + " did not listen on port " + port + " within " + timeout.toSeconds()
                + " s; its log " + logFile + " ends with:\n" + logTail());
    }

    public static boolean acceptsConnections(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    public ProcessHandle handle() {
        return process.toHandle();
    }

    public String name() {
        return name;
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnJvmExit);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running or about to: nothing left to unregister.
        }
    }

    private void stop() {
        stopping = true;
        ProcessTree.stop(process.toHandle(), GRACEFUL_STOP);
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    private static void sleep(Duration duration) {
        try {
            TimeUnit.MILLISECONDS.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineStartException("interrupted while waiting for an engine to start", e);
        }
    }
}
