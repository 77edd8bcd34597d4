package io.github.iottelemetry.localcloud.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Remembers the processes of a running local cloud in its state folder, so the next start can stop
 * engines orphaned by a SIGKILL of the JVM that owned them (a shutdown hook cannot run then). A line
 * is "pid startInstant role"; the start instant keeps a recycled pid from being taken for ours.
 */
public final class PidFile {

    private static final String OWNER_ROLE = "owner";

    private final Path file;
    private final List<String> lines = new ArrayList<>();

    public PidFile(Path file) {
        this.file = file;
    }

    /**
     * Stops the engines that a dead owner left behind. Fails when the owner still runs: then a
     * local cloud is live on this state folder and must be stopped first.
     *
     * @return a line per stopped orphan, for the console
     */
    public List<String> stopOrphans() {
        if (!Files.exists(file)) {
            return List.of();
        }
        List<RecordedProcess> recorded = read();
        recorded.stream()
                .filter(process -> process.role().equals(OWNER_ROLE))
                .filter(process -> process.live().isPresent())
                .findFirst()
                .ifPresent(owner -> {
                    throw new EngineStartException("a local cloud is already running on " + file.getParent()
                            + " (pid " + owner.pid() + "); stop it with Ctrl-C or `kill " + owner.pid()
                            + "`, or use another state folder");
                });
        List<String> stopped = new ArrayList<>();
        for (RecordedProcess process : recorded) {
            process.live().ifPresent(handle -> {
                ProcessTree.stop(handle, Duration.ofSeconds(5));
                stopped.add(
                        "stopped orphaned " + process.role() + " (pid " + process.pid() + ") left by an earlier run");
            });
        }
        delete();
        return stopped;
    }

    public void recordOwner(ProcessHandle owner) {
        record(owner, OWNER_ROLE);
    }

    public synchronized void record(ProcessHandle process, String role) {
        Instant started = process.info().startInstant().orElse(Instant.EPOCH);
        lines.add(process.pid() + " " + started + " " + role.replace(' ', '-'));
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write pid file " + file, e);
        }
    }

    public void delete() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete pid file " + file, e);
        }
    }

    private List<RecordedProcess> read() {
        try {
            List<RecordedProcess> recorded = new ArrayList<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String[] fields = line.trim().split(" ");
                if (fields.length == 3) {
                    recorded.add(new RecordedProcess(Long.parseLong(fields[0]), Instant.parse(fields[1]), fields[2]));
                }
            }
            return recorded;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read pid file " + file, e);
        } catch (RuntimeException e) {
            throw new EngineStartException(
                    "pid file " + file + " is damaged (" + e.getMessage()
                            + "); check no engine from an earlier run is still running, then delete it",
                    e);
        }
    }

    private record RecordedProcess(long pid, Instant started, String role) {

        Optional<ProcessHandle> live() {
            return ProcessHandle.of(pid)
                    .filter(ProcessTree::isRunning)
                    .filter(handle ->
                            handle.info().startInstant().map(started::equals).orElse(false));
        }
    }
}
