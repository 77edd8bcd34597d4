package io.github.iottelemetry.core.aggregate;

import java.util.Arrays;

/**
 * A set of message sequence numbers stored as sorted, disjoint, inclusive ranges. A device's seq
 * numbers are dense, so the messages of one window usually form a single range: the bookkeeping that
 * makes re-applying a message a no-op costs a few longs, not one entry per message.
 *
 * <p>Text form (for storage): {@code 1-10,12,15-20}.
 */
public final class SeqSet {
    private long[] ranges; // lo0, hi0, lo1, hi1, ...
    private int count; // number of ranges

    public SeqSet() {
        ranges = new long[4];
    }

    private SeqSet(long[] ranges, int count) {
        this.ranges = ranges;
        this.count = count;
    }

    public static SeqSet of(long... seqs) {
        SeqSet s = new SeqSet();
        for (long q : seqs) {
            s.add(q);
        }
        return s;
    }

    public SeqSet copy() {
        return new SeqSet(Arrays.copyOf(ranges, Math.max(4, count * 2)), count);
    }

    public boolean isEmpty() {
        return count == 0;
    }

    public int rangeCount() {
        return count;
    }

    /** Number of sequence numbers in the set. */
    public long size() {
        long n = 0;
        for (int i = 0; i < count; i++) {
            n += ranges[2 * i + 1] - ranges[2 * i] + 1;
        }
        return n;
    }

    public long min() {
        requireNonEmpty();
        return ranges[0];
    }

    public long max() {
        requireNonEmpty();
        return ranges[2 * count - 1];
    }

    public boolean contains(long seq) {
        if (count == 0) {
            return false;
        }
        int last = count - 1;
        if (seq > ranges[2 * last + 1]) {
            return false; // the usual case: a newer message
        }
        int i = indexOfRangeAtOrBefore(seq);
        return i >= 0 && seq <= ranges[2 * i + 1];
    }

    /** Adds one sequence number; returns false when it was already present. */
    public boolean add(long seq) {
        if (seq < 0) {
            throw new IllegalArgumentException("seq must not be negative: " + seq);
        }
        if (count == 0) {
            insertRange(0, seq, seq);
            return true;
        }
        int last = count - 1;
        long lastHi = ranges[2 * last + 1];
        if (seq == lastHi + 1) { // fast path: dense, in order
            ranges[2 * last + 1] = seq;
            return true;
        }
        if (seq > lastHi + 1) {
            insertRange(count, seq, seq);
            return true;
        }
        int i = indexOfRangeAtOrBefore(seq);
        if (i >= 0 && seq <= ranges[2 * i + 1]) {
            return false;
        }
        boolean joinsLeft = i >= 0 && ranges[2 * i + 1] == seq - 1;
        boolean joinsRight = i + 1 < count && ranges[2 * (i + 1)] == seq + 1;
        if (joinsLeft && joinsRight) {
            ranges[2 * i + 1] = ranges[2 * (i + 1) + 1];
            removeRange(i + 1);
        } else if (joinsLeft) {
            ranges[2 * i + 1] = seq;
        } else if (joinsRight) {
            ranges[2 * (i + 1)] = seq;
        } else {
            insertRange(i + 1, seq, seq);
        }
        return true;
    }

    /** True when the two sets share at least one sequence number. */
    public boolean intersects(SeqSet other) {
        int i = 0;
        int j = 0;
        while (i < count && j < other.count) {
            long lo = Math.max(ranges[2 * i], other.ranges[2 * j]);
            long hi = Math.min(ranges[2 * i + 1], other.ranges[2 * j + 1]);
            if (lo <= hi) {
                return true;
            }
            if (ranges[2 * i + 1] < other.ranges[2 * j + 1]) {
                i++;
            } else {
                j++;
            }
        }
        return false;
    }

    /** True when every sequence number of {@code other} is in this set. */
    public boolean containsAll(SeqSet other) {
        int i = 0;
        for (int j = 0; j < other.count; j++) {
            long lo = other.ranges[2 * j];
            long hi = other.ranges[2 * j + 1];
            while (i < count && ranges[2 * i + 1] < lo) {
                i++;
            }
            if (i == count || ranges[2 * i] > lo || ranges[2 * i + 1] < hi) {
                return false;
            }
        }
        return true;
    }

    /** The union of both sets, as a new set. */
    public SeqSet union(SeqSet other) {
        long[] out = new long[2 * (count + other.count) + 2];
        int n = 0;
        int i = 0;
        int j = 0;
        while (i < count || j < other.count) {
            long lo;
            long hi;
            if (j >= other.count || (i < count && ranges[2 * i] <= other.ranges[2 * j])) {
                lo = ranges[2 * i];
                hi = ranges[2 * i + 1];
                i++;
            } else {
                lo = other.ranges[2 * j];
                hi = other.ranges[2 * j + 1];
                j++;
            }
            if (n > 0 && lo <= out[2 * n - 1] + 1) {
                out[2 * n - 1] = Math.max(out[2 * n - 1], hi);
            } else {
                out[2 * n] = lo;
                out[2 * n + 1] = hi;
                n++;
            }
        }
        return new SeqSet(out, n);
    }

    /** The text form, e.g. {@code 1-10,12}; empty for an empty set. */
    public String encode() {
        StringBuilder sb = new StringBuilder(count * 12);
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                sb.append(',');
            }
            long lo = ranges[2 * i];
            long hi = ranges[2 * i + 1];
            sb.append(lo);
            if (hi != lo) {
                sb.append('-').append(hi);
            }
        }
        return sb.toString();
    }

    /** Parses the text form; ranges may come in any order and may overlap. */
    public static SeqSet parse(String text) {
        SeqSet s = new SeqSet();
        if (text == null || text.isBlank()) {
            return s;
        }
        for (String part : text.split(",")) {
            String p = part.trim();
            int dash = p.indexOf('-');
            try {
                long lo = Long.parseLong(dash < 0 ? p : p.substring(0, dash));
                long hi = dash < 0 ? lo : Long.parseLong(p.substring(dash + 1));
                if (lo < 0 || hi < lo) {
                    throw new IllegalArgumentException("seq set \"" + text + "\": bad range \"" + p + "\"");
                }
                s = s.union(new SeqSet(new long[] {lo, hi}, 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "seq set \"" + text + "\": \"" + p + "\" is not a number or a range a-b");
            }
        }
        return s;
    }

    private int indexOfRangeAtOrBefore(long seq) {
        int lo = 0;
        int hi = count - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (ranges[2 * mid] <= seq) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    private void insertRange(int index, long lo, long hi) {
        if (2 * (count + 1) > ranges.length) {
            ranges = Arrays.copyOf(ranges, Math.max(4, ranges.length * 2));
        }
        System.arraycopy(ranges, 2 * index, ranges, 2 * index + 2, 2 * (count - index));
        ranges[2 * index] = lo;
        ranges[2 * index + 1] = hi;
        count++;
    }

    private void removeRange(int index) {
        System.arraycopy(ranges, 2 * index + 2, ranges, 2 * index, 2 * (count - index - 1));
        count--;
    }

    private void requireNonEmpty() {
        if (count == 0) {
            throw new IllegalStateException("empty seq set");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SeqSet s && s.count == count && Arrays.equals(ranges, 0, 2 * count, s.ranges, 0, 2 * count);
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (int i = 0; i < 2 * count; i++) {
            h = 31 * h + Long.hashCode(ranges[i]);
        }
        return h;
    }

    @Override
    public String toString() {
        return "[" + encode() + "]";
    }
}
