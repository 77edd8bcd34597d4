package io.github.iottelemetry.sim.ledger;

import io.github.iottelemetry.core.ledger.LedgerEntry;
import io.github.iottelemetry.core.ledger.LedgerWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The run's ground-truth ledger (telemetry-core's format), written off the MQTT threads: entries are queued and
 * one writer thread appends them and flushes at least every second, so a crash loses at most a second.
 * {@link #close()} writes what is queued and the END record that marks the ledger complete.
 */
public final class AsyncLedger implements AutoCloseable {

    private static final long FLUSH_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Path file;
    private final LedgerWriter writer;
    private final LinkedBlockingQueue<LedgerEntry> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean closing;
    private volatile String failure;
    private boolean closed;

    private AsyncLedger(Path file, LedgerWriter writer) {
        this.file = file;
        this.writer = writer;
        this.thread = new Thread(this::writeLoop, "ledger-writer");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    public static AsyncLedger create(Path file) throws IOException {
        return new AsyncLedger(file, LedgerWriter.create(file));
    }

    public Path file() {
        return file;
    }

    public void record(LedgerEntry entry) {
        if (failure
                == null) { // after a failure the run's exit status reports it; queueing more would only fill the heap
            queue.add(entry);
        }
    }

    /** Entries queued and not yet written. */
    public int backlog() {
        return queue.size();
    }

    /** Why writing failed, or null while it works. */
    public String failure() {
        return failure;
    }

    public long entriesWritten() {
        return writer.messagesWritten();
    }

    private void writeLoop() {
        List<LedgerEntry> batch = new ArrayList<>(4096);
        long lastFlush = System.nanoTime();
        boolean dirty = false;
        try {
            while (true) {
                LedgerEntry first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first != null) {
                    batch.add(first);
                    queue.drainTo(batch, 4095);
                    for (LedgerEntry entry : batch) {
                        writer.write(entry);
                    }
                    batch.clear();
                    dirty = true;
                }
                if (dirty && (queue.isEmpty() || System.nanoTime() - lastFlush > FLUSH_INTERVAL_NANOS)) {
                    writer.flush();
                    lastFlush = System.nanoTime();
                    dirty = false;
                }
                if (first == null && closing && queue.isEmpty()) {
                    return;
                }
            }
        } catch (IOException e) {
            failure = "writing the ledger " + file + " failed after " + writer.messagesWritten() + " entries: "
                    + e.getMessage();
        } catch (InterruptedException e) {
            failure =
                    "the ledger writer for " + file + " was interrupted after " + writer.messagesWritten() + " entries";
        } catch (RuntimeException e) {
            failure = "writing the ledger " + file + " failed after " + writer.messagesWritten() + " entries: " + e;
        }
    }

    /** Writes every queued entry and the END record. Safe to call twice (the shutdown hook and the normal exit). */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        closing = true;
        try {
            thread.join();
            if (failure == null) {
                writer.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = "interrupted while closing the ledger " + file + " (" + queue.size() + " entries not written)";
        } catch (IOException e) {
            failure = "closing the ledger " + file + " failed: " + e.getMessage();
        }
    }
}
