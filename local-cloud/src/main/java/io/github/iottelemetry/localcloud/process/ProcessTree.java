package io.github.iottelemetry.localcloud.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/** Stops a process with everything it started: SIGTERM first, SIGKILL for what is still running after the grace time. */
public final class ProcessTree {

    private static final long POLL_MILLIS = 25;

    private ProcessTree() {}

    public static void stop(ProcessHandle root, Duration grace) {
        stopAll(List.of(root), grace);
    }

    /**
     * Stops several process trees at once: SIGTERM to every process of every tree, up to {@code grace} for them to
     * exit, then SIGKILL to what still runs.
     */
    public static void stopAll(List<ProcessHandle> roots, Duration grace) {
        List<ProcessHandle> tree = roots.stream()
                .flatMap(root -> Stream.concat(root.descendants(), Stream.of(root)))
                .filter(ProcessTree::isRunning)
                .toList();
        tree.forEach(ProcessHandle::destroy);
        awaitExit(tree, grace);
        tree.stream().filter(ProcessTree::isRunning).forEach(ProcessHandle::destroyForcibly);
        awaitExit(tree, grace);
    }

    /**
     * Alive and not a zombie. A process that exited stays a zombie until its parent reaps it; an
     * orphan's new parent may take its time, and Java reports a zombie as alive. On Linux /proc tells
     * them apart: every thread is in state Z. (Only the main thread's state is not enough: a JVM whose
     * main thread ended while shutdown hooks still run shows Z there.) Elsewhere this is
     * {@link ProcessHandle#isAlive}.
     */
    public static boolean isRunning(ProcessHandle process) {
        if (!process.isAlive()) {
            return false;
        }
        Path tasks = Path.of("/proc", Long.toString(process.pid()), "task");
        try (Stream<Path> threads = Files.list(tasks)) {
            return threads.anyMatch(thread -> !isZombieThread(thread.resolve("stat")));
        } catch (IOException | UncheckedIOException notLinuxOrGone) {
            return process.isAlive();
        }
    }

    private static boolean isZombieThread(Path stat) {
        try {
            String line = Files.readString(stat, StandardCharsets.US_ASCII);
            int afterName = line.lastIndexOf(')');
            return afterName > 0 && line.length() > afterName + 2 && line.charAt(afterName + 2) == 'Z';
        } catch (IOException gone) {
            return true;
        }
    }

    private static void awaitExit(List<ProcessHandle> processes, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (processes.stream().anyMatch(ProcessTree::isRunning) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
