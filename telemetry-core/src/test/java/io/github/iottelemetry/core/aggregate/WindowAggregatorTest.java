package io.github.iottelemetry.core.aggregate;

import static io.github.iottelemetry.core.support.Messages.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.iottelemetry.core.payload.Reading;
import io.github.iottelemetry.core.payload.TelemetryMessage;
import io.github.iottelemetry.core.support.Messages;
import io.github.iottelemetry.core.window.Resolution;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WindowAggregatorTest {
    private static final List<Resolution> ONE_MINUTE_AND_HOUR = Resolution.parseList("1m,1h");

    @Test
    void readingsGoToTheWindowOfTheirOwnTimestamp() {
        WindowAggregator agg = new WindowAggregator(ONE_MINUTE_AND_HOUR);
        // 10 readings one 10 s apart starting 30 s before a minute boundary: 3 in one minute, 6 in the next, 1 after
        TelemetryMessage m =
                TelemetryMessage.fromDevice("d", 1, T0 + 70_000, Messages.readings(10, T0 - 30_000, 10_000));
        assertThat(agg.fold(m)).isEqualTo(new WindowAggregator.Fold(40, 0));
        List<WindowAggregate> windows = agg.drainAll();
        List<WindowAggregate> minutes = windows.stream()
                .filter(w -> w.key().resolution().label().equals("1m"))
                .toList();
        assertThat(minutes).extracting(w -> w.key().windowStart()).containsExactly(T0 - 60_000, T0, T0 + 60_000);
        assertThat(minutes).extracting(w -> w.metric("temperature").count()).containsExactly(3L, 6L, 1L);
        assertThat(minutes.get(0).key().partitionKey()).isEqualTo("d#1m");
        List<WindowAggregate> hours = windows.stream()
                .filter(w -> w.key().resolution().label().equals("1h"))
                .toList();
        assertThat(hours).extracting(w -> w.key().windowStart()).containsExactly(T0 - 3_600_000, T0);
        assertThat(hours).extracting(w -> w.metric("humidity").count()).containsExactly(3L, 7L);
        assertThat(agg.openWindowCount()).isZero();
    }

    @Test
    void duplicatesAndReplaysChangeNothing() {
        WindowAggregator agg = new WindowAggregator(ONE_MINUTE_AND_HOUR);
        TelemetryMessage m = TelemetryMessage.fromDevice("d", 7, T0, Messages.readings(10, T0, 1000));
        assertThat(agg.fold(m).valuesApplied()).isEqualTo(40);
        WindowAggregator.Fold again = agg.fold(m);
        assertThat(again.duplicate()).isTrue();
        assertThat(again.valuesSkippedAsDuplicate()).isEqualTo(40);
        assertThat(agg.snapshot())
                .allSatisfy(w -> assertThat(w.metric("battery").count()).isEqualTo(10));
    }

    @Test
    void outOfOrderAndDuplicatedDeliveryGivesTheSameAggregatesAsInOrder() {
        List<TelemetryMessage> msgs = new ArrayList<>();
        Random rnd = new Random(42);
        for (int d = 0; d < 5; d++) {
            for (int seq = 1; seq <= 60; seq++) {
                long sentAt = T0 + seq * 5_000L + rnd.nextInt(3000);
                msgs.add(TelemetryMessage.fromDevice(
                        "dev-" + d, seq, sentAt, Messages.readings(5, sentAt - 5_000, 1_000)));
            }
        }
        WindowAggregator inOrder = new WindowAggregator(ONE_MINUTE_AND_HOUR);
        msgs.forEach(inOrder::fold);

        List<TelemetryMessage> shuffled = new ArrayList<>(msgs);
        shuffled.addAll(msgs.subList(0, 100)); // redelivery
        Collections.shuffle(shuffled, new Random(7));
        WindowAggregator chaotic = new WindowAggregator(ONE_MINUTE_AND_HOUR);
        shuffled.forEach(chaotic::fold);

        assertSameWindows(chaotic.drainAll(), inOrder.drainAll());
    }

    @Test
    void drainsOnlyWindowsThatEnded() {
        WindowAggregator agg = new WindowAggregator(List.of(Resolution.ONE_MINUTE));
        agg.fold(TelemetryMessage.fromDevice("d", 1, T0, List.of(Reading.of(T0 + 1000, Map.of("t", 1.0)))));
        agg.fold(TelemetryMessage.fromDevice("d", 2, T0, List.of(Reading.of(T0 + 61_000, Map.of("t", 2.0)))));
        assertThat(agg.drainEndingAtOrBefore(T0 + 59_999)).isEmpty();
        assertThat(agg.drainEndingAtOrBefore(T0 + 60_000))
                .extracting(w -> w.key().windowStart())
                .containsExactly(T0);
        assertThat(agg.openWindowCount()).isEqualTo(1);
        // a late reading for the drained window opens it again, as a correction
        agg.fold(TelemetryMessage.fromDevice("d", 3, T0, List.of(Reading.of(T0 + 2000, Map.of("t", 3.0)))));
        assertThat(agg.openWindowCount()).isEqualTo(2);
    }

    static void assertSameWindows(List<WindowAggregate> actual, List<WindowAggregate> expected) {
        Comparator<WindowAggregate> order = Comparator.comparing(
                        (WindowAggregate w) -> w.key().deviceId())
                .thenComparing(w -> w.key().resolution().millis())
                .thenComparing(w -> w.key().windowStart());
        List<WindowAggregate> a = actual.stream().sorted(order).toList();
        List<WindowAggregate> e = expected.stream().sorted(order).toList();
        assertThat(a)
                .extracting(WindowAggregate::key)
                .containsExactlyElementsOf(e.stream().map(WindowAggregate::key).toList());
        for (int i = 0; i < a.size(); i++) {
            Map<String, MetricAggregate> am = a.get(i).metrics();
            Map<String, MetricAggregate> em = e.get(i).metrics();
            assertThat(am.keySet()).isEqualTo(em.keySet());
            for (String metric : am.keySet()) {
                assertThat(am.get(metric).sameAs(em.get(metric)))
                        .as(a.get(i).key() + " " + metric)
                        .isTrue();
            }
        }
    }
}
