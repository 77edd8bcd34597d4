package io.github.iottelemetry.core.payload;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Canonical strings for metric names read from bytes, so every reading of "temperature" shares one
 * String (no allocation per value, and identity comparison works downstream). A small lock-free cache
 * of immutable entries: a race or a collision only costs a fresh lookup, never a wrong name.
 */
final class MetricNames {
    private static final int SIZE = 1024; // power of two

    private record Entry(byte[] bytes, String name) {}

    private static final Entry[] CACHE = new Entry[SIZE];

    private MetricNames() {}

    /** The canonical name of {@code b[start, start + len)}, whose hash {@code 31 * h + byte} the caller computed. */
    static String intern(byte[] b, int start, int len, int h) {
        int slot = (h ^ (h >>> 16)) & (SIZE - 1);
        Entry e = CACHE[slot];
        if (e != null && Arrays.equals(e.bytes, 0, e.bytes.length, b, start, start + len)) {
            return e.name;
        }
        String name = new String(b, start, len, StandardCharsets.ISO_8859_1).intern();
        CACHE[slot] = new Entry(Arrays.copyOfRange(b, start, start + len), name);
        return name;
    }
}
