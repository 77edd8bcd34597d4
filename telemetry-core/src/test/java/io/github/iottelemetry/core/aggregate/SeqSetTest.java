package io.github.iottelemetry.core.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class SeqSetTest {

    @Test
    void denseSeqsStayOneRange() {
        SeqSet s = new SeqSet();
        for (long q = 1; q <= 10_000; q++) {
            assertThat(s.add(q)).isTrue();
        }
        assertThat(s.rangeCount()).isEqualTo(1);
        assertThat(s.encode()).isEqualTo("1-10000");
        assertThat(s.add(5000)).isFalse();
    }

    @Test
    void gapsAreFilledAndRangesJoined() {
        SeqSet s = SeqSet.of(1, 2, 3, 7, 8, 5);
        assertThat(s.encode()).isEqualTo("1-3,5,7-8");
        s.add(4);
        assertThat(s.encode()).isEqualTo("1-5,7-8");
        s.add(6);
        assertThat(s.encode()).isEqualTo("1-8");
        assertThat(s.size()).isEqualTo(8);
    }

    @Test
    void parsesItsTextFormAndRejectsGarbage() {
        assertThat(SeqSet.parse("15-20,1-10,12,9-11").encode()).isEqualTo("1-12,15-20");
        assertThat(SeqSet.parse("").isEmpty()).isTrue();
        assertThatThrownBy(() -> SeqSet.parse("1-x")).hasMessageContaining("\"1-x\" is not a number or a range");
        assertThatThrownBy(() -> SeqSet.parse("5-2")).hasMessageContaining("bad range \"5-2\"");
    }

    @Property(tries = 300)
    void behavesLikeASortedSet(
            @ForAll @Size(max = 60) List<@LongRange(min = 0, max = 80) Long> adds,
            @ForAll @Size(max = 60) List<@LongRange(min = 0, max = 80) Long> others) {
        SeqSet s = new SeqSet();
        TreeSet<Long> model = new TreeSet<>();
        for (long q : adds) {
            assertThat(s.add(q)).isEqualTo(model.add(q));
        }
        for (long q = 0; q <= 81; q++) {
            assertThat(s.contains(q)).isEqualTo(model.contains(q));
        }
        assertThat(s.size()).isEqualTo(model.size());
        assertThat(SeqSet.parse(s.encode())).isEqualTo(s);

        SeqSet o = new SeqSet();
        TreeSet<Long> otherModel = new TreeSet<>(others);
        others.forEach(o::add);
        TreeSet<Long> union = new TreeSet<>(model);
        union.addAll(otherModel);
        SeqSet u = s.union(o);
        assertThat(u.size()).isEqualTo(union.size());
        union.forEach(q -> assertThat(u.contains(q)).isTrue());
        assertThat(s.intersects(o)).isEqualTo(otherModel.stream().anyMatch(model::contains));
        assertThat(s.containsAll(o)).isEqualTo(model.containsAll(otherModel));
    }
}
