package io.github.iottelemetry.core.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The merge laws of {@link MetricAggregate}, checked on generated message sets. */
class MetricAggregateLawsTest {

    /** One message's contribution to a metric window: a few readings. */
    record Msg(long seq, List<long[]> tsAndIndex, List<Double> values) {}

    @Provide
    Arbitrary<List<Msg>> messages() {
        Arbitrary<Double> value = Arbitraries.doubles().between(-1000, 1000).ofScale(2);
        Arbitrary<Long> ts = Arbitraries.longs().between(0, 59_999);
        return Arbitraries.integers()
                .between(1, 4)
                .flatMap(n -> Combinators.combine(
                                ts.list().ofSize(n), value.list().ofSize(n))
                        .as((tss, vs) -> {
                            List<long[]> ti = new ArrayList<>();
                            for (int i = 0; i < n; i++) {
                                ti.add(new long[] {tss.get(i), i});
                            }
                            return new Msg(0, ti, vs);
                        }))
                .list()
                .ofMinSize(0)
                .ofMaxSize(30)
                .map(list -> {
                    List<Msg> out = new ArrayList<>();
                    for (int i = 0; i < list.size(); i++) {
                        out.add(new Msg(
                                i + 1, list.get(i).tsAndIndex(), list.get(i).values()));
                    }
                    return out;
                });
    }

    static MetricAggregate fold(List<Msg> msgs) {
        MetricAggregate a = new MetricAggregate();
        long token = 0;
        for (Msg m : msgs) {
            token++;
            for (int i = 0; i < m.values().size(); i++) {
                if (a.openMessage(m.seq(), token)) {
                    a.add(
                            m.tsAndIndex().get(i)[0],
                            m.seq(),
                            (int) m.tsAndIndex().get(i)[1],
                            m.values().get(i));
                }
            }
        }
        return a;
    }

    /** Splits the messages into three disjoint parts, by a seed. */
    static List<List<Msg>> split(List<Msg> msgs, long seed) {
        Random r = new Random(seed);
        List<List<Msg>> parts = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (Msg m : msgs) {
            parts.get(r.nextInt(3)).add(m);
        }
        return parts;
    }

    @Property(tries = 300)
    void mergeIsCommutative(@ForAll("messages") List<Msg> msgs, @ForAll long seed) {
        List<List<Msg>> p = split(msgs, seed);
        MetricAggregate a = fold(p.get(0));
        MetricAggregate b = fold(p.get(1));
        assertThat(MetricAggregate.merge(a, b)).isEqualTo(MetricAggregate.merge(b, a));
    }

    @Property(tries = 300)
    void mergeIsAssociative(@ForAll("messages") List<Msg> msgs, @ForAll long seed) {
        List<List<Msg>> p = split(msgs, seed);
        MetricAggregate a = fold(p.get(0));
        MetricAggregate b = fold(p.get(1));
        MetricAggregate c = fold(p.get(2));
        MetricAggregate left = MetricAggregate.merge(MetricAggregate.merge(a, b), c);
        MetricAggregate right = MetricAggregate.merge(a, MetricAggregate.merge(b, c));
        assertThat(left.sameAs(right)).as(left + " vs " + right).isTrue();
    }

    @Property(tries = 300)
    void mergingPartsEqualsFoldingEverything(@ForAll("messages") List<Msg> msgs, @ForAll long seed) {
        List<List<Msg>> p = split(msgs, seed);
        MetricAggregate merged =
                MetricAggregate.merge(MetricAggregate.merge(fold(p.get(0)), fold(p.get(1))), fold(p.get(2)));
        MetricAggregate whole = fold(msgs);
        assertThat(merged.sameAs(whole)).as(merged + " vs " + whole).isTrue();
    }

    @Property(tries = 300)
    void applyingMessagesAgainInAnyOrderChangesNothing(@ForAll("messages") List<Msg> msgs, @ForAll long seed) {
        MetricAggregate once = fold(msgs);
        List<Msg> replayed = new ArrayList<>(msgs);
        replayed.addAll(msgs);
        Collections.shuffle(replayed, new Random(seed));
        MetricAggregate again = fold(replayed);
        assertThat(again.sameAs(once)).as(again + " vs " + once).isTrue();
        assertThat(again.count()).isEqualTo(once.count());
    }

    @Property(tries = 200)
    void mergeIsIdempotent(@ForAll("messages") List<Msg> msgs, @ForAll long seed) {
        MetricAggregate a = fold(msgs);
        assertThat(MetricAggregate.merge(a, a)).isEqualTo(a);
        MetricAggregate part = fold(split(msgs, seed).get(0));
        assertThat(MetricAggregate.merge(a, part)).isEqualTo(a); // a already holds part's messages
        assertThat(MetricAggregate.merge(part, a)).isEqualTo(a);
    }

    @Test
    void firstAndLastTiesResolveBySeqThenIndex() {
        MetricAggregate a = new MetricAggregate();
        a.apply(5, 1000, 0, 1.0);
        MetricAggregate b = new MetricAggregate();
        b.apply(3, 1000, 0, 2.0);
        MetricAggregate m = MetricAggregate.merge(a, b);
        assertThat(m.firstValue()).isEqualTo(2.0); // seq 3 wins "first" at equal ts
        assertThat(m.lastValue()).isEqualTo(1.0); // seq 5 wins "last"
        assertThat(MetricAggregate.merge(b, a)).isEqualTo(m);
    }

    @Test
    void partialOverlapIsRefused() {
        MetricAggregate a = new MetricAggregate();
        a.apply(1, 10, 0, 1.0);
        a.apply(2, 20, 0, 2.0);
        MetricAggregate b = new MetricAggregate();
        b.apply(2, 20, 0, 2.0);
        b.apply(3, 30, 0, 3.0);
        assertThatThrownBy(() -> MetricAggregate.merge(a, b))
                .isInstanceOf(OverlappingAggregatesException.class)
                .hasMessageContaining("[1-2] and [2-3]");
    }

    @Test
    void restoreKeepsEveryField() {
        MetricAggregate a = new MetricAggregate();
        a.apply(1, 10, 0, 1.5);
        a.apply(2, 20, 1, -2.5);
        MetricAggregate r = MetricAggregate.restore(
                a.count(),
                a.sum(),
                a.min(),
                a.max(),
                a.firstTs(),
                a.firstSeq(),
                a.firstIndex(),
                a.firstValue(),
                a.lastTs(),
                a.lastSeq(),
                a.lastIndex(),
                a.lastValue(),
                a.seqs());
        assertThat(r).isEqualTo(a);
        assertThat(r.mean()).isEqualTo(-0.5);
    }
}
