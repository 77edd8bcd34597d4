package io.github.iottelemetry.processor.window;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.iottelemetry.core.aggregate.MetricAggregate;
import io.github.iottelemetry.core.aggregate.SeqSet;
import io.github.iottelemetry.core.aggregate.WindowAggregate;
import io.github.iottelemetry.core.aggregate.WindowKey;
import io.github.iottelemetry.core.payload.Reading;
import io.github.iottelemetry.core.payload.TelemetryMessage;
import io.github.iottelemetry.core.window.Resolution;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShardAggregatorTest {
    private static final long MINUTE = 60_000;
    private static final long T0 = 1_763_884_800_000L; // a minute boundary
    private static final Resolution ONE_MINUTE = Resolution.parse("1m");

    private final ShardAggregator shard = new ShardAggregator(
            new AggregationSettings(
                    List.of(ONE_MINUTE), Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofMinutes(10)),
            0);

    private static TelemetryMessage message(String device, long seq, long... timestamps) {
        List<Reading> readings = new java.util.ArrayList<>();
        for (long ts : timestamps) {
            readings.add(Reading.of(ts, Map.of("temperature", (double) seq)));
        }
        return TelemetryMessage.fromDevice(device, seq, timestamps[0], readings).withIngest(device, timestamps[0]);
    }

    @Test
    void windowClosesOnlyWhenTheWatermarkPassesItsEnd() {
        shard.add("1", message("d1", 1, T0 + 1_000), 0);
        shard.add("2", message("d1", 2, T0 + MINUTE + 29_000), 0); // watermark = end - 1 s
        assertThat(shard.closeDue(0)).isEmpty();
        shard.add("3", message("d1", 3, T0 + MINUTE + 30_000), 0); // watermark = end
        List<WindowAggregate> closed = shard.closeDue(0);
        assertThat(closed).extracting(w -> w.key().windowStart()).containsExactly(T0);
        assertThat(closed.get(0).metric("temperature").count()).isEqualTo(1);
        assertThat(shard.openWindows()).isEqualTo(1);
    }

    @Test
    void readingsGoToTheWindowOfTheirOwnTimestamp() {
        shard.add("1", message("d1", 1, T0 + 59_999, T0 + MINUTE), 0);
        List<WindowAggregate> all = shard.closeAll(0);
        assertThat(all).extracting(w -> w.key().windowStart()).containsExactlyInAnyOrder(T0, T0 + MINUTE);
    }

    @Test
    void idleShardClosesEveryWindow() {
        shard.add("1", message("d1", 1, T0 + 1_000), 1_000);
        assertThat(shard.closeDue(10_999)).isEmpty();
        assertThat(shard.closeDue(11_000)).hasSize(1);
    }

    @Test
    void duplicatesAreDroppedAndCounted() {
        assertThat(shard.add("1", message("d1", 7, T0 + 1_000), 0)).isTrue();
        assertThat(shard.add("2", message("d1", 7, T0 + 1_000), 0)).isFalse();
        assertThat(shard.stats().duplicateMessages()).isEqualTo(1);
        assertThat(shard.closeAll(0).get(0).metric("temperature").count()).isEqualTo(1);
    }

    @Test
    void lateReadingForAClosedWindowBecomesACorrectionDeltaCountedOnce() {
        shard.add("1", message("d1", 1, T0 + 1_000), 0);
        shard.add("2", message("d1", 2, T0 + 5 * MINUTE), 0);
        assertThat(shard.closeDue(0)).extracting(w -> w.key().windowStart()).containsExactly(T0);
        shard.add("3", message("d1", 3, T0 + 2_000), 0); // late, window T0 already closed
        shard.add("4", message("d1", 3, T0 + 2_000), 0); // and its duplicate
        List<WindowAggregate> corrections = shard.closeDue(0);
        assertThat(corrections).hasSize(1);
        MetricAggregate delta = corrections.get(0).metric("temperature");
        assertThat(delta.count()).isEqualTo(1);
        assertThat(delta.seqs()).isEqualTo(SeqSet.of(3));
        assertThat(shard.stats().correctionReadings()).isEqualTo(2 - 1); // the duplicate is not a correction
    }

    @Test
    void checkpointStaysBeforeTheFirstRecordOfAnOpenWindow() {
        shard.add("100", message("d1", 1, T0 + 1_000), 0);
        shard.skip("101", 0); // invalid record, durable at once but behind record 100
        shard.add("102", message("d2", 1, T0 + MINUTE + 1_000), 0);
        shard.add("103", message("d1", 2, T0 + 2 * MINUTE), 0); // watermark T0 + 1.5 min closes window T0
        assertThat(shard.checkpointPosition()).isEmpty();

        List<WindowAggregate> closed = shard.closeDue(0);
        assertThat(closed).extracting(w -> w.key().deviceId()).containsExactly("d1");
        assertThat(shard.checkpointPosition()).isEmpty(); // closed, but not written yet
        shard.durable(closed);
        assertThat(shard.checkpointPosition()).contains("101"); // 102 holds window T0+1m of d2 open

        List<WindowAggregate> rest = shard.closeAll(0);
        shard.durable(rest);
        assertThat(shard.checkpointPosition()).contains("103");
        assertThat(shard.checkpointPosition()).isEmpty();
    }

    @Test
    void deltaExcludingRebuildsOnlyTheMessagesNotAlreadyStored() {
        shard.add("1", message("d1", 1, T0 + 1_000, T0 + 2_000), 0);
        shard.add("2", message("d1", 2, T0 + 3_000), 0);
        shard.add("3", message("d1", 3, T0 + 4_000, T0 + MINUTE + 1), 0);
        WindowKey window = new WindowKey("d1", ONE_MINUTE, T0);
        MetricAggregate delta = shard.deltaExcluding(window, "temperature", SeqSet.of(1, 2));
        assertThat(delta.count()).isEqualTo(1);
        assertThat(delta.seqs()).isEqualTo(SeqSet.of(3));
        assertThat(delta.firstTs()).isEqualTo(T0 + 4_000);
        MetricAggregate whole = shard.deltaExcluding(window, "temperature", new SeqSet());
        assertThat(whole.sameAs(shard.closeAll(0).stream()
                        .filter(w -> w.key().equals(window))
                        .findFirst()
                        .orElseThrow()
                        .metric("temperature")))
                .isTrue();
    }

    @Test
    void aWindowIsWritableAtItsEndPlusLatenessAndACorrectionsWindowWhenTheCorrectionArrives() {
        long now = T0 + MINUTE + 31_000;
        shard.add("1", message("d1", 1, T0 + 1_000), T0 + 2_000);
        shard.add("2", message("d1", 2, T0 + MINUTE + 30_000), now); // watermark reaches the first window's end
        WindowAggregate first = shard.closeDue(now).get(0);
        assertThat(shard.readyAt(first.key())).as("end + 30 s lateness").isEqualTo(T0 + MINUTE + 30_000);
        shard.durable(List.of(first));

        long correctionArrives = T0 + 5 * MINUTE;
        shard.add("3", message("d1", 3, T0 + 2_000), correctionArrives); // for the window already closed
        WindowAggregate correction = shard.closeDue(correctionArrives).get(0);
        assertThat(correction.key()).isEqualTo(first.key());
        assertThat(shard.readyAt(correction.key()))
                .as("writable only once the correction is in")
                .isEqualTo(correctionArrives);
    }
}
