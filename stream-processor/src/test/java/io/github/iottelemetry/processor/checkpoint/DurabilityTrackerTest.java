package io.github.iottelemetry.processor.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.iottelemetry.core.aggregate.WindowKey;
import io.github.iottelemetry.core.window.Resolution;
import java.util.List;
import org.junit.jupiter.api.Test;

class DurabilityTrackerTest {
    private static final Resolution M = Resolution.parse("1m");
    private final DurabilityTracker tracker = new DurabilityTracker();

    @Test
    void recordsWithoutWindowsAreDurableAtOnce() {
        tracker.arrived("a");
        tracker.arrived("b");
        assertThat(tracker.advance()).contains("b");
        assertThat(tracker.advance()).isEmpty();
    }

    @Test
    void aWindowHoldsBackItsFirstContributorUntilWritten() {
        WindowKey w1 = new WindowKey("d", M, 0);
        WindowKey w2 = new WindowKey("d", M, 60_000);
        tracker.contributed(w1, tracker.arrived("a"));
        tracker.contributed(w2, tracker.arrived("b"));
        tracker.contributed(w1, tracker.arrived("c")); // later contributor: w1 still held back by "a"
        assertThat(tracker.advance()).isEmpty();
        tracker.durable(List.of(w2));
        assertThat(tracker.advance()).isEmpty(); // "a" (w1) is still open
        tracker.durable(List.of(w1));
        assertThat(tracker.advance()).contains("c");
        assertThat(tracker.recordsNotCheckpointed()).isZero();
    }
}
