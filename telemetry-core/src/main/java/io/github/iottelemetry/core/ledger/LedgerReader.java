package io.github.iottelemetry.core.ledger;

import io.github.iottelemetry.core.payload.Reading;
import io.github.iottelemetry.core.validation.ReasonCode;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Streams a ledger written by {@link LedgerWriter}, one entry at a time. A ledger whose writer died
 * ends without its END record: reading stops at the last complete entry and {@link #complete()}
 * says false, so a caller can report a truncated ledger instead of trusting it silently.
 */
public final class LedgerReader implements AutoCloseable, java.util.Iterator<LedgerEntry> {
    private final String source;
    private final InputStream in;
    private final List<String> devices = new ArrayList<>();
    private final List<String> metrics = new ArrayList<>();
    private long lastSentAt;
    private long read;
    private LedgerEntry next;
    private boolean finished;
    private boolean complete;

    public LedgerReader(InputStream raw, String source) throws IOException {
        this.source = source;
        this.in = new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16);
        byte[] magic = in.readNBytes(LedgerFormat.MAGIC.length);
        if (!Arrays.equals(magic, LedgerFormat.MAGIC)) {
            throw new IOException(source + ": not a ledger file (bad magic)");
        }
        int version = in.read();
        if (version != LedgerFormat.VERSION) {
            throw new IOException(source + ": ledger format version " + version + " is not supported (expected "
                    + LedgerFormat.VERSION + ")");
        }
    }

    public static LedgerReader open(Path file) throws IOException {
        return new LedgerReader(Files.newInputStream(file), file.toString());
    }

    /** True once the END record was read and its count matched: the writer closed the ledger. */
    public boolean complete() {
        return complete;
    }

    public long entriesRead() {
        return read;
    }

    @Override
    public boolean hasNext() {
        if (next == null && !finished) {
            try {
                next = readEntry();
            } catch (IOException e) {
                throw new UncheckedIOException(source + ": after entry " + read + ": " + e.getMessage(), e);
            }
        }
        return next != null;
    }

    @Override
    public LedgerEntry next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        LedgerEntry e = next;
        next = null;
        read++;
        return e;
    }

    private LedgerEntry readEntry() throws IOException {
        try {
            while (true) {
                int type = in.read();
                switch (type) {
                    case -1 -> {
                        finished = true; // writer died before close(): truncated but usable
                        return null;
                    }
                    case LedgerFormat.DEVICE -> define(devices, "device");
                    case LedgerFormat.METRIC -> define(metrics, "metric");
                    case LedgerFormat.MESSAGE -> {
                        return readMessage();
                    }
                    case LedgerFormat.END -> {
                        long count = readVarLong();
                        if (count != read) {
                            throw new IOException(
                                    "END record counts " + count + " messages but " + read + " were read");
                        }
                        finished = true;
                        complete = true;
                        return null;
                    }
                    default -> throw new IOException("unknown record type " + type);
                }
            }
        } catch (EOFException | ZipException e) {
            finished = true; // a record cut off mid-way by a crash: stop at the last complete entry
            return null;
        }
    }

    private void define(List<String> names, String what) throws IOException {
        long id = readVarLong();
        if (id != names.size()) {
            throw new IOException(what + " reference " + id + " defined out of order (expected " + names.size() + ")");
        }
        int len = (int) readVarLong();
        byte[] b = in.readNBytes(len);
        if (b.length != len) {
            throw new EOFException();
        }
        names.add(new String(b, StandardCharsets.UTF_8));
    }

    private LedgerEntry readMessage() throws IOException {
        String device = lookup(devices, readVarLong(), "device");
        long seq = readVarLong();
        long sentAt = lastSentAt + unzigzag(readVarLong());
        lastSentAt = sentAt;
        int flags = readByte();
        ReasonCode reason = null;
        if ((flags & LedgerFormat.FLAG_HAS_REASON) != 0) {
            reason = LedgerFormat.decode(LedgerFormat.REASON_CODES, readByte(), "reason");
        }
        ExpectedOutcome outcome =
                LedgerFormat.decode(LedgerFormat.OUTCOME_CODES, (flags >> LedgerFormat.OUTCOME_SHIFT) & 3, "outcome");
        int n = (int) readVarLong();
        List<Reading> readings = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long ts = sentAt + unzigzag(readVarLong());
            int m = (int) readVarLong();
            Map<String, Double> values = new LinkedHashMap<>();
            for (int k = 0; k < m; k++) {
                values.put(lookup(metrics, readVarLong(), "metric"), readValue());
            }
            readings.add(Reading.of(ts, values));
        }
        return new LedgerEntry(device, seq, sentAt, (flags & LedgerFormat.FLAG_ACKED) != 0, outcome, reason, readings);
    }

    private double readValue() throws IOException {
        int tag = readByte();
        if (tag == LedgerFormat.VALUE_RAW) {
            long bits = 0;
            for (int i = 0; i < 8; i++) {
                bits = (bits << 8) | readByte();
            }
            return Double.longBitsToDouble(bits);
        }
        if (tag > LedgerFormat.MAX_SCALE) {
            throw new IOException("unknown value tag " + tag);
        }
        return unzigzag(readVarLong()) / LedgerFormat.POW10[tag];
    }

    private static String lookup(List<String> names, long id, String what) throws IOException {
        if (id < 0 || id >= names.size()) {
            throw new IOException(what + " reference " + id + " used before it was defined");
        }
        return names.get((int) id);
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException();
        }
        return b;
    }

    private long readVarLong() throws IOException {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = readByte();
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw new IOException("varint longer than 10 bytes");
    }

    private static long unzigzag(long v) {
        return (v >>> 1) ^ -(v & 1);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
