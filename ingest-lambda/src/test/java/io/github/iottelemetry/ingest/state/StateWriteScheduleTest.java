package io.github.iottelemetry.ingest.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class StateWriteScheduleTest {

    @Test
    void writesADeviceAtMostOncePerIntervalOfItsReadingTime() {
        StateWriteSchedule schedule = new StateWriteSchedule(60);

        assertThat(schedule.isDue("a", 1_000_000))
                .as("never written by this environment")
                .isTrue();
        schedule.written("a", 1_000_000);
        assertThat(schedule.isDue("a", 1_010_000)).isFalse();
        assertThat(schedule.isDue("a", 1_059_999)).isFalse();
        assertThat(schedule.isDue("a", 1_060_000))
                .as("one interval after the reading last written")
                .isTrue();
        assertThat(schedule.isDue("b", 1_010_000))
                .as("devices are scheduled each on its own")
                .isTrue();
    }

    @Test
    void aDeviceWhoseClockWentBackIsDue() {
        StateWriteSchedule schedule = new StateWriteSchedule(60);
        schedule.written("a", 1_000_000);

        assertThat(schedule.isDue("a", 999_999)).isTrue();
    }

    @Test
    void withoutAnIntervalEveryMessageIsDue() {
        StateWriteSchedule schedule = StateWriteSchedule.everyMessage();
        schedule.written("a", 1_000_000);

        assertThat(schedule.isDue("a", 1_000_001)).isTrue();
        assertThat(schedule.devicesRemembered()).isZero();
    }

    @Test
    void aForgottenDeviceIsDueAgain() {
        StateWriteSchedule schedule = new StateWriteSchedule(60, 2);
        schedule.written("a", 1_000_000);
        schedule.written("b", 1_000_000);
        schedule.isDue("a", 1_001_000); // a was seen last: b is the least recently seen
        schedule.written("c", 1_000_000);

        assertThat(schedule.devicesRemembered()).isEqualTo(2);
        assertThat(schedule.isDue("b", 1_001_000)).isTrue();
        assertThat(schedule.isDue("a", 1_001_000)).isFalse();
    }

    @Test
    void refusesANegativeInterval() {
        assertThatThrownBy(() -> new StateWriteSchedule(-1)).hasMessageContaining("-1 s: must be 0 or more");
    }

    /**
     * The staleness bound, for any device history: messages with increasing seq whose newest reading moves forward by
     * 1 to 20 s (or back, now and then: a device clock reset), a write that fails now and then (the record is retried
     * with its batch), and a device that stops at any point. After every message the stored state's newest reading is
     * less than one interval behind the newest reading of the device's newest message.
     */
    @Property(tries = 300)
    void theStoredStateIsNeverAnIntervalBehind(
            @ForAll("steps") List<Integer> stepsMillis,
            @ForAll @IntRange(min = 1, max = 120) int intervalSeconds,
            @ForAll("failures") List<Boolean> failures) {
        StateWriteSchedule schedule = new StateWriteSchedule(intervalSeconds);
        long ts = 1_763_884_800_000L;
        long stored = Long.MIN_VALUE;
        for (int i = 0; i < stepsMillis.size(); i++) {
            ts += stepsMillis.get(i);
            boolean fails = failures.get(i % failures.size());
            boolean written = false;
            while (!written) { // a failed write is retried with its batch until it succeeds
                if (!schedule.isDue("d", ts)) {
                    break;
                }
                if (fails) {
                    fails = false;
                    continue;
                }
                stored = ts; // the conditional write on a newer seq succeeds
                schedule.written("d", ts);
                written = true;
            }
            assertThat(ts - stored).as("after message %d", i).isLessThan(intervalSeconds * 1000L);
        }
    }

    @Provide
    Arbitrary<List<Integer>> steps() {
        return Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(20, Arbitraries.integers().between(1_000, 20_000)),
                        net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(-30_000, -1)))
                .list()
                .ofMinSize(1)
                .ofMaxSize(200);
    }

    @Provide
    Arbitrary<List<Boolean>> failures() {
        return Arbitraries.of(true, false, false, false).list().ofMinSize(1).ofMaxSize(10);
    }

    @Test
    void manyDevicesEachWithinTheBound() {
        StateWriteSchedule schedule = new StateWriteSchedule(30);
        Map<String, Long> stored = new HashMap<>();
        int writes = 0;
        for (long second = 0; second < 600; second += 10) { // 100 devices, a message every 10 s for 10 minutes
            for (int device = 0; device < 100; device++) {
                String id = "dev-" + device;
                long ts = 1_000_000_000L + second * 1000 + device;
                if (schedule.isDue(id, ts)) {
                    schedule.written(id, ts);
                    stored.put(id, ts);
                    writes++;
                }
                assertThat(ts - stored.get(id)).isLessThan(30_000);
            }
        }
        assertThat(writes).as("one write in three messages").isEqualTo(100 * 20);
    }
}
