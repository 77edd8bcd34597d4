package io.github.iottelemetry.processor.output.dynamodb;

import io.github.iottelemetry.core.aggregate.MetricAggregate;
import io.github.iottelemetry.core.aggregate.SeqSet;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbBean;

/**
 * One metric's aggregate as stored in an aggregates item: the summary fields, the tie-breakers of first
 * and last, and the encoded set of message seqs that contributed (what makes re-applying a no-op).
 */
@DynamoDbBean
public class MetricState {
    private long count;
    private double sum;
    private double min;
    private double max;
    private long firstTs;
    private long firstSeq;
    private int firstIndex;
    private double firstValue;
    private long lastTs;
    private long lastSeq;
    private int lastIndex;
    private double lastValue;
    private String seqs;

    public static MetricState of(MetricAggregate a) {
        MetricState s = new MetricState();
        s.count = a.count();
        s.sum = a.sum();
        s.min = a.min();
        s.max = a.max();
        s.firstTs = a.firstTs();
        s.firstSeq = a.firstSeq();
        s.firstIndex = a.firstIndex();
        s.firstValue = a.firstValue();
        s.lastTs = a.lastTs();
        s.lastSeq = a.lastSeq();
        s.lastIndex = a.lastIndex();
        s.lastValue = a.lastValue();
        s.seqs = a.seqs().encode();
        return s;
    }

    public MetricAggregate toAggregate() {
        return MetricAggregate.restore(
                count,
                sum,
                min,
                max,
                firstTs,
                firstSeq,
                firstIndex,
                firstValue,
                lastTs,
                lastSeq,
                lastIndex,
                lastValue,
                SeqSet.parse(seqs));
    }

    public long getCount() {
        return count;
    }

    public void setCount(long count) {
        this.count = count;
    }

    public double getSum() {
        return sum;
    }

    public void setSum(double sum) {
        this.sum = sum;
    }

    public double getMin() {
        return min;
    }

    public void setMin(double min) {
        this.min = min;
    }

    public double getMax() {
        return max;
    }

    public void setMax(double max) {
        this.max = max;
    }

    public long getFirstTs() {
        return firstTs;
    }

    public void setFirstTs(long firstTs) {
        this.firstTs = firstTs;
    }

    public long getFirstSeq() {
        return firstSeq;
    }

    public void setFirstSeq(long firstSeq) {
        this.firstSeq = firstSeq;
    }

    public int getFirstIndex() {
        return firstIndex;
    }

    public void setFirstIndex(int firstIndex) {
        this.firstIndex = firstIndex;
    }

    public double getFirstValue() {
        return firstValue;
    }

    public void setFirstValue(double firstValue) {
        this.firstValue = firstValue;
    }

    public long getLastTs() {
        return lastTs;
    }

    public void setLastTs(long lastTs) {
        this.lastTs = lastTs;
    }

    public long getLastSeq() {
        return lastSeq;
    }

    public void setLastSeq(long lastSeq) {
        this.lastSeq = lastSeq;
    }

    public int getLastIndex() {
        return lastIndex;
    }

    public void setLastIndex(int lastIndex) {
        this.lastIndex = lastIndex;
    }

    public double getLastValue() {
        return lastValue;
    }

    public void setLastValue(double lastValue) {
        this.lastValue = lastValue;
    }

    public String getSeqs() {
        return seqs;
    }

    public void setSeqs(String seqs) {
        this.seqs = seqs;
    }
}
