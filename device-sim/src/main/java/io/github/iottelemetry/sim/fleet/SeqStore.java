package io.github.iottelemetry.sim.fleet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-device seq counters persisted in the fleet folder ({@code seq.state}: one "thing nextSeq" line per device),
 * so a restarted simulator continues without reusing a seq. While running, the file holds a reservation (next
 * seq + {@value #RESERVATION}) written before any seq of that block is used: a crash leaves a gap, never a reuse.
 * A clean stop writes the exact next seq, so a restart continues seamlessly.
 */
public final class SeqStore {

    public static final String FILE_NAME = "seq.state";
    static final long RESERVATION = 10_000;

    private final Path file;
    private final List<String> things;
    private final long[] next;
    private final long[] reserved;

    private SeqStore(Path file, List<String> things, long[] next) {
        this.file = file;
        this.things = things;
        this.next = next;
        this.reserved = new long[next.length];
    }

    public static SeqStore open(Path fleetFolder, List<String> things) {
        Path file = fleetFolder.resolve(FILE_NAME);
        Map<String, Long> saved = new HashMap<>();
        if (Files.isRegularFile(file)) {
            try {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    String[] parts = line.strip().split("\\s+");
                    if (parts.length == 2) {
                        saved.put(parts[0], Long.parseLong(parts[1]));
                    }
                }
            } catch (IOException | NumberFormatException e) {
                throw new IllegalArgumentException(
                        file + " is not a readable seq state (thing nextSeq per line): " + e.getMessage()
                                + "; fix or delete it (deleting restarts every device at seq 1, which the pipeline drops as duplicates)");
            }
        }
        long[] next = new long[things.size()];
        for (int i = 0; i < next.length; i++) {
            next[i] = saved.getOrDefault(things.get(i), 1L);
        }
        SeqStore store = new SeqStore(file, List.copyOf(things), next);
        store.reserveAll();
        return store;
    }

    /** The next seq of device {@code index}; called by one thread at a time per device. */
    public long next(int index) {
        long seq = next[index];
        if (seq >= reserved[index]) {
            synchronized (this) {
                reserved[index] = seq + RESERVATION;
                write(reserved);
            }
        }
        next[index] = seq + 1;
        return seq;
    }

    /** The seq device {@code index} uses next (its last seq + 1). */
    public long peek(int index) {
        return next[index];
    }

    private synchronized void reserveAll() {
        for (int i = 0; i < next.length; i++) {
            reserved[i] = next[i] + RESERVATION;
        }
        write(reserved);
    }

    /** Writes the exact next seq of every device: call once every message has been generated. */
    public synchronized void saveExact() {
        write(next.clone());
    }

    private void write(long[] values) {
        StringBuilder text = new StringBuilder(things.size() * 24);
        for (int i = 0; i < values.length; i++) {
            text.append(things.get(i)).append(' ').append(values[i]).append('\n');
        }
        try {
            Path temporary = file.resolveSibling(FILE_NAME + ".tmp");
            Files.writeString(temporary, text, StandardCharsets.UTF_8);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the seq state " + file, e);
        }
    }
}
