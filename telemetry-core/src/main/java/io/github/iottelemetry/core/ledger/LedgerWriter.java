package io.github.iottelemetry.core.ledger;

import io.github.iottelemetry.core.payload.Reading;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Writes the ground-truth ledger ({@link LedgerFormat}). Not thread-safe: give it one writer thread.
 * {@link #flush()} makes everything written so far readable even if the process dies afterwards.
 */
public final class LedgerWriter implements AutoCloseable {
    private final GZIPOutputStream gzip;
    private final OutputStream out;
    private final Map<String, Integer> devices = new HashMap<>();
    private final Map<String, Integer> metrics = new HashMap<>();
    private long lastSentAt;
    private long messages;
    private boolean closed;

    public LedgerWriter(OutputStream sink) throws IOException {
        // The fastest deflate level: the ledger is written while a fleet saturates the machine, and its writer
        // thread must keep up with every PUBACK; the values are the bulk and compress about as well either way.
        this.gzip = new GZIPOutputStream(sink, 1 << 16, true) {
            {
                def.setLevel(java.util.zip.Deflater.BEST_SPEED);
            }
        };
        this.out = new BufferedOutputStream(gzip, 1 << 16);
        out.write(LedgerFormat.MAGIC);
        out.write(LedgerFormat.VERSION);
    }

    public static LedgerWriter create(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        return new LedgerWriter(Files.newOutputStream(file));
    }

    public long messagesWritten() {
        return messages;
    }

    public void write(LedgerEntry e) throws IOException {
        if (closed) {
            throw new IOException("ledger is closed");
        }
        int device = ref(devices, e.deviceId(), LedgerFormat.DEVICE);
        for (Reading r : e.readings()) {
            for (int k = 0; k < r.metricCount(); k++) {
                ref(metrics, r.metricName(k), LedgerFormat.METRIC);
            }
        }
        out.write(LedgerFormat.MESSAGE);
        writeVarLong(device);
        writeVarLong(e.seq());
        writeVarLong(zigzag(e.sentAt() - lastSentAt));
        lastSentAt = e.sentAt();
        int flags = (e.acked() ? LedgerFormat.FLAG_ACKED : 0)
                | (LedgerFormat.code(LedgerFormat.OUTCOME_CODES, e.outcome()) << LedgerFormat.OUTCOME_SHIFT)
                | (e.reason() != null ? LedgerFormat.FLAG_HAS_REASON : 0);
        out.write(flags);
        if (e.reason() != null) {
            out.write(LedgerFormat.code(LedgerFormat.REASON_CODES, e.reason()));
        }
        writeVarLong(e.readings().size());
        for (Reading r : e.readings()) {
            writeVarLong(zigzag(r.ts() - e.sentAt()));
            writeVarLong(r.metricCount());
            for (int k = 0; k < r.metricCount(); k++) {
                writeVarLong(metrics.get(r.metricName(k)));
                writeValue(r.value(k));
            }
        }
        messages++;
    }

    /** Pushes everything written so far through gzip to the sink (a sync flush). */
    public void flush() throws IOException {
        out.flush();
        gzip.flush();
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        out.write(LedgerFormat.END);
        writeVarLong(messages);
        out.close();
    }

    private int ref(Map<String, Integer> names, String name, int recordType) throws IOException {
        Integer id = names.get(name);
        if (id != null) {
            return id;
        }
        int next = names.size();
        names.put(name, next);
        out.write(recordType);
        writeVarLong(next);
        byte[] b = name.getBytes(StandardCharsets.UTF_8);
        writeVarLong(b.length);
        out.write(b);
        return next;
    }

    private void writeValue(double v) throws IOException {
        for (int scale = 0; scale <= LedgerFormat.MAX_SCALE; scale++) {
            double scaled = v * LedgerFormat.POW10[scale];
            if (Math.abs(scaled) < 1e15) {
                long unscaled = Math.round(scaled);
                if (unscaled / LedgerFormat.POW10[scale] == v && !(v == 0 && 1 / v < 0)) {
                    out.write(scale);
                    writeVarLong(zigzag(unscaled));
                    return;
                }
            }
        }
        out.write(LedgerFormat.VALUE_RAW);
        long bits = Double.doubleToRawLongBits(v);
        for (int i = 7; i >= 0; i--) {
            out.write((int) (bits >>> (8 * i)));
        }
    }

    private static long zigzag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    private void writeVarLong(long v) throws IOException {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }
}
