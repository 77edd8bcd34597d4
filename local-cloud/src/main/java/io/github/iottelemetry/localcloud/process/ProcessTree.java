package io.github.iottelemetry.localcloud.process;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/** Stops a process with everything it started: SIGTERM first, SIGKILL for what is still alive after the grace time. */
public final class ProcessTree {

    private ProcessTree() {
    }

    public static void stop(ProcessHandle root, Duration grace) {
        List<ProcessHandle> tree = Stream.concat(root.descendants(), Stream.of(root))
                .filter(ProcessHandle::isAlive)
                .toList();
        tree.forEach(ProcessHandle::destroy);
        for (ProcessHandle process : tree) {
            awaitExit(process, grace);
        }
        tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        tree.forEach(process -> awaitExit(process, grace));
    }

    private static void awaitExit(ProcessHandle process, Duration timeout) {
        CompletableFuture<ProcessHandle> exit = process.onExit();
        try {
            exit.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException stillRunning) {
            // The caller escalates to SIGKILL.
        } catch (ExecutionException e) {
            throw new IllegalStateException("waiting for process " + process.pid() + " to exit failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
