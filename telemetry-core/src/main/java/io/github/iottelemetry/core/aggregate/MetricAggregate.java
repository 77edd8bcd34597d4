package io.github.iottelemetry.core.aggregate;

import java.util.Objects;

/**
 * Count, sum, min, max, first and last of one metric of one device in one window, plus the set of
 * message seq numbers that contributed.
 *
 * <p>Semantics: an aggregate is a function of the <em>set</em> of messages applied to it. Applying a
 * message whose seq is already in the set changes nothing (idempotent per message), so at-least-once
 * delivery, retries and replays cannot double count. {@link #merge} combines two partial aggregates:
 * it is commutative and associative for aggregates over disjoint message sets, and idempotent
 * (merging an aggregate with one whose messages it already holds returns it unchanged). Two partial
 * aggregates that share only <em>some</em> messages cannot be combined from summaries alone; merge
 * refuses them ({@link OverlappingAggregatesException}) rather than guess, and writers build their
 * deltas from messages not yet applied.
 *
 * <p>"First" is the value with the smallest (ts, seq, index in readings); "last" the largest, so ties
 * resolve the same way whatever order messages arrive in. The sum is a double: merging in a different
 * order can change its last bits, so compare sums with {@link #SUM_RELATIVE_TOLERANCE}.
 */
public final class MetricAggregate {
    /** Relative tolerance for comparing sums computed in different orders. */
    public static final double SUM_RELATIVE_TOLERANCE = 1e-9;

    private long count;
    private double sum;
    private double min = Double.POSITIVE_INFINITY;
    private double max = Double.NEGATIVE_INFINITY;
    private long firstTs = Long.MAX_VALUE;
    private long firstSeq;
    private int firstIndex;
    private double firstValue;
    private long lastTs = Long.MIN_VALUE;
    private long lastSeq;
    private int lastIndex;
    private double lastValue;
    private final SeqSet seqs;
    private long openToken = -1; // the fold in progress that may add further readings of one message

    public MetricAggregate() {
        this.seqs = new SeqSet();
    }

    private MetricAggregate(SeqSet seqs) {
        this.seqs = seqs;
    }

    /**
     * Rebuilds an aggregate from its stored fields (DynamoDB item, Parquet row). The tie-breakers of
     * first and last (seq and index) are part of the stored state so later merges stay order-free.
     */
    public static MetricAggregate restore(
            long count,
            double sum,
            double min,
            double max,
            long firstTs,
            long firstSeq,
            int firstIndex,
            double firstValue,
            long lastTs,
            long lastSeq,
            int lastIndex,
            double lastValue,
            SeqSet seqs) {
        if (count <= 0) {
            throw new IllegalArgumentException("a stored aggregate has count >= 1, got " + count);
        }
        MetricAggregate a = new MetricAggregate(seqs.copy());
        a.count = count;
        a.sum = sum;
        a.min = min;
        a.max = max;
        a.firstTs = firstTs;
        a.firstSeq = firstSeq;
        a.firstIndex = firstIndex;
        a.firstValue = firstValue;
        a.lastTs = lastTs;
        a.lastSeq = lastSeq;
        a.lastIndex = lastIndex;
        a.lastValue = lastValue;
        return a;
    }

    /**
     * Opens message {@code seq} for the fold identified by {@code foldToken} (unique per message fold).
     * Returns false when the message was already applied by an earlier fold: its readings must then be
     * skipped. Further readings of the same message in the same fold are accepted.
     */
    public boolean openMessage(long seq, long foldToken) {
        if (openToken == foldToken) {
            return true;
        }
        if (!seqs.add(seq)) {
            return false;
        }
        openToken = foldToken;
        return true;
    }

    /** Adds one reading's value; call only after {@link #openMessage} accepted its message. */
    public void add(long ts, long seq, int index, double value) {
        count++;
        sum += value;
        if (value < min) {
            min = value;
        }
        if (value > max) {
            max = value;
        }
        if (before(ts, seq, index, firstTs, firstSeq, firstIndex)) {
            firstTs = ts;
            firstSeq = seq;
            firstIndex = index;
            firstValue = value;
        }
        if (before(lastTs, lastSeq, lastIndex, ts, seq, index)) {
            lastTs = ts;
            lastSeq = seq;
            lastIndex = index;
            lastValue = value;
        }
    }

    /** Applies a whole single-value message in one call: the common case in tests and tools. */
    public boolean apply(long seq, long ts, int index, double value) {
        if (!seqs.add(seq)) {
            return false;
        }
        openToken = -1;
        add(ts, seq, index, value);
        return true;
    }

    /**
     * The aggregate over the union of both message sets; see the class comment for the laws.
     *
     * @throws OverlappingAggregatesException when the sets share some but not all messages
     */
    public static MetricAggregate merge(MetricAggregate a, MetricAggregate b) {
        if (a.seqs.containsAll(b.seqs)) {
            return a.copy();
        }
        if (b.seqs.containsAll(a.seqs)) {
            return b.copy();
        }
        if (a.seqs.intersects(b.seqs)) {
            throw new OverlappingAggregatesException("cannot merge aggregates over seqs " + a.seqs + " and " + b.seqs
                    + ": they share some messages but not all");
        }
        MetricAggregate m = new MetricAggregate(a.seqs.union(b.seqs));
        m.count = a.count + b.count;
        m.sum = a.sum + b.sum;
        m.min = Math.min(a.min, b.min);
        m.max = Math.max(a.max, b.max);
        MetricAggregate first =
                before(a.firstTs, a.firstSeq, a.firstIndex, b.firstTs, b.firstSeq, b.firstIndex) ? a : b;
        m.firstTs = first.firstTs;
        m.firstSeq = first.firstSeq;
        m.firstIndex = first.firstIndex;
        m.firstValue = first.firstValue;
        MetricAggregate last = before(a.lastTs, a.lastSeq, a.lastIndex, b.lastTs, b.lastSeq, b.lastIndex) ? b : a;
        m.lastTs = last.lastTs;
        m.lastSeq = last.lastSeq;
        m.lastIndex = last.lastIndex;
        m.lastValue = last.lastValue;
        return m;
    }

    public MetricAggregate copy() {
        MetricAggregate c = new MetricAggregate(seqs.copy());
        c.count = count;
        c.sum = sum;
        c.min = min;
        c.max = max;
        c.firstTs = firstTs;
        c.firstSeq = firstSeq;
        c.firstIndex = firstIndex;
        c.firstValue = firstValue;
        c.lastTs = lastTs;
        c.lastSeq = lastSeq;
        c.lastIndex = lastIndex;
        c.lastValue = lastValue;
        return c;
    }

    private static boolean before(long ts1, long seq1, int idx1, long ts2, long seq2, int idx2) {
        if (ts1 != ts2) {
            return ts1 < ts2;
        }
        if (seq1 != seq2) {
            return seq1 < seq2;
        }
        return idx1 < idx2;
    }

    public long count() {
        return count;
    }

    public double sum() {
        return sum;
    }

    public double min() {
        return min;
    }

    public double max() {
        return max;
    }

    public double mean() {
        return count == 0 ? Double.NaN : sum / count;
    }

    public long firstTs() {
        return firstTs;
    }

    public long firstSeq() {
        return firstSeq;
    }

    public int firstIndex() {
        return firstIndex;
    }

    public double firstValue() {
        return firstValue;
    }

    public long lastTs() {
        return lastTs;
    }

    public long lastSeq() {
        return lastSeq;
    }

    public int lastIndex() {
        return lastIndex;
    }

    public double lastValue() {
        return lastValue;
    }

    /** The messages that contributed; a copy. */
    public SeqSet seqs() {
        return seqs.copy();
    }

    public boolean containsMessage(long seq) {
        return seqs.contains(seq);
    }

    /** Equal in every field, the sum within {@link #SUM_RELATIVE_TOLERANCE}. */
    public boolean sameAs(MetricAggregate o) {
        return count == o.count
                && min == o.min
                && max == o.max
                && firstTs == o.firstTs
                && firstSeq == o.firstSeq
                && firstIndex == o.firstIndex
                && firstValue == o.firstValue
                && lastTs == o.lastTs
                && lastSeq == o.lastSeq
                && lastIndex == o.lastIndex
                && lastValue == o.lastValue
                && sumsAgree(sum, o.sum)
                && seqs.equals(o.seqs);
    }

    public static boolean sumsAgree(double a, double b) {
        return a == b || Math.abs(a - b) <= SUM_RELATIVE_TOLERANCE * Math.max(1.0, Math.max(Math.abs(a), Math.abs(b)));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MetricAggregate m && sameAs(m) && Double.compare(sum, m.sum) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(count, min, max, firstTs, firstValue, lastTs, lastValue, seqs);
    }

    @Override
    public String toString() {
        return "MetricAggregate{count=" + count + ", sum=" + sum + ", min=" + min + ", max=" + max + ", first="
                + firstValue + "@" + firstTs + ", last=" + lastValue + "@" + lastTs + ", seqs=" + seqs + "}";
    }
}
