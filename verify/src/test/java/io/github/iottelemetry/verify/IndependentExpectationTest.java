package io.github.iottelemetry.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.iottelemetry.core.aggregate.MetricAggregate;
import io.github.iottelemetry.core.aggregate.WindowAggregate;
import io.github.iottelemetry.core.aggregate.WindowAggregator;
import io.github.iottelemetry.core.ledger.LedgerEntry;
import io.github.iottelemetry.core.payload.Reading;
import io.github.iottelemetry.core.payload.TelemetryMessage;
import io.github.iottelemetry.core.window.Resolution;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The expectation verify checks against, computed in SQL: by hand on a small case, and against the pipeline's own fold. */
class IndependentExpectationTest {
    private static final Resolution MINUTE = Resolution.parse("1m");

    @Test
    void aWindowsCountSumMinMaxFirstAndLastByTimeThenSeqThenPosition() {
        List<LedgerEntry> messages = List.of(
                message("d", 2, Reading.of(61_000, Map.of("t", 5.0)), Reading.of(10_000, Map.of("t", 1.5))),
                message("d", 1, Reading.of(10_000, Map.of("t", 2.5)), Reading.of(59_999, Map.of("t", 9.0))),
                message("d", 3, Reading.of(59_999, Map.of("t", 4.0))));

        Map<WindowMetricKey, Observed> expected = IndependentExpectation.of(messages, List.of(MINUTE));

        // Minute 0: readings at 10,000 (seq 1: 2.5, seq 2: 1.5) and 59,999 (seq 1: 9.0, seq 3: 4.0).
        assertThat(expected.get(new WindowMetricKey("d", "1m", 0, "t")))
                .isEqualTo(new Observed(4, 17.0, 1.5, 9.0, 10_000, 2.5, 59_999, 4.0));
        assertThat(expected.get(new WindowMetricKey("d", "1m", 60_000, "t")))
                .isEqualTo(new Observed(1, 5.0, 5.0, 5.0, 61_000, 5.0, 61_000, 5.0));
        assertThat(expected).hasSize(2);
    }

    @Property(tries = 200)
    void agreesWithThePipelinesOwnFoldOnAnyMessages(@ForAll("messages") List<LedgerEntry> messages) {
        List<Resolution> resolutions = List.of(MINUTE, Resolution.parse("5m"));
        WindowAggregator fold = new WindowAggregator(resolutions);
        messages.forEach(m -> fold.fold(m.toMessage()));
        Map<WindowMetricKey, Observed> pipeline = new HashMap<>();
        for (WindowAggregate w : fold.drainAll()) {
            for (Map.Entry<String, MetricAggregate> m : w.metrics().entrySet()) {
                MetricAggregate a = m.getValue();
                pipeline.put(
                        new WindowMetricKey(
                                w.key().deviceId(),
                                w.key().resolution().label(),
                                w.key().windowStart(),
                                m.getKey()),
                        new Observed(
                                a.count(),
                                a.sum(),
                                a.min(),
                                a.max(),
                                a.firstTs(),
                                a.firstValue(),
                                a.lastTs(),
                                a.lastValue()));
            }
        }
        Map<WindowMetricKey, Observed> independent = IndependentExpectation.of(messages, resolutions);

        assertThat(Comparison.of("pipeline fold", independent, pipeline).isExact())
                .as("%s", Comparison.of("pipeline fold", independent, pipeline).firstDifferences())
                .isTrue();
    }

    @Provide
    Arbitrary<List<LedgerEntry>> messages() {
        Arbitrary<Reading> reading = net.jqwik.api.Combinators.combine(
                        Arbitraries.longs().between(0, 900_000),
                        Arbitraries.integers().between(-80, 80),
                        Arbitraries.of("t", "h"))
                .as((ts, eighths, metric) -> Reading.of(ts, Map.of(metric, eighths / 8.0)));
        return reading.list().ofMinSize(1).ofMaxSize(4).list().ofMaxSize(12).map(perMessage -> {
            List<LedgerEntry> entries = new ArrayList<>();
            for (int i = 0; i < perMessage.size(); i++) {
                entries.add(LedgerEntry.counted(
                        TelemetryMessage.fromDevice(i % 2 == 0 ? "a" : "b", i + 1, 0, perMessage.get(i)), true));
            }
            return entries;
        });
    }

    private static LedgerEntry message(String device, long seq, Reading... readings) {
        return LedgerEntry.counted(TelemetryMessage.fromDevice(device, seq, 0, List.of(readings)), true);
    }

    static Map<String, Double> metrics(String name, double value) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(name, value);
        return m;
    }
}
