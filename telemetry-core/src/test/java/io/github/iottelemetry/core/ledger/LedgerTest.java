package io.github.iottelemetry.core.ledger;

import static io.github.iottelemetry.core.support.Messages.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.iottelemetry.core.payload.Reading;
import io.github.iottelemetry.core.payload.TelemetryMessage;
import io.github.iottelemetry.core.support.Messages;
import io.github.iottelemetry.core.validation.ReasonCode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LedgerTest {

    @Test
    void roundTripsEveryKindOfEntry() throws IOException {
        List<LedgerEntry> entries = new ArrayList<>();
        entries.add(LedgerEntry.counted(Messages.fromRule("sim-000001", 1, 10), true));
        entries.add(LedgerEntry.counted(Messages.fromRule("sim-000002", 1, 3), false));
        entries.add(LedgerEntry.duplicate("sim-000001", 1, T0 + 50, true));
        for (ReasonCode reason : ReasonCode.values()) {
            entries.add(LedgerEntry.quarantined("sim-000003", 10 + reason.ordinal(), T0 - 99_000, true, reason));
        }
        Map<String, Double> odd = new LinkedHashMap<>();
        odd.put("tiny", 1e-300);
        odd.put("huge", -1.7976931348623157e308);
        odd.put("third", 1.0 / 3);
        odd.put("negzero", -0.0);
        odd.put("cents", 1234567.89);
        entries.add(LedgerEntry.counted(TelemetryMessage.fromDevice("x", 99, 5, List.of(Reading.of(0, odd))), true));

        byte[] file = write(entries);
        try (LedgerReader r = new LedgerReader(new ByteArrayInputStream(file), "test")) {
            List<LedgerEntry> back = new ArrayList<>();
            r.forEachRemaining(back::add);
            assertThat(back).isEqualTo(entries);
            assertThat(r.complete()).isTrue();
        }
    }

    @Test
    void aLedgerCutOffByACrashReadsUpToTheLastFlushedEntry() throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        LedgerWriter w = new LedgerWriter(sink);
        for (int seq = 1; seq <= 100; seq++) {
            w.write(LedgerEntry.counted(Messages.fromRule("d", seq, 10), true));
        }
        w.flush();
        int flushed = sink.size();
        w.write(LedgerEntry.counted(Messages.fromRule("d", 101, 10), true)); // never flushed: the process dies
        byte[] cut = Arrays.copyOf(sink.toByteArray(), flushed);
        try (LedgerReader r = new LedgerReader(new ByteArrayInputStream(cut), "crashed")) {
            long n = 0;
            while (r.hasNext()) {
                assertThat(r.next().seq()).isEqualTo(++n);
            }
            assertThat(n).isEqualTo(100);
            assertThat(r.complete()).isFalse();
        }
    }

    @Test
    void isCompactForAMillionMessages() throws IOException {
        // sensor-like values with two decimals: the ledger stays a few tens of bytes a message
        Random rnd = new Random(1);
        List<LedgerEntry> entries = new ArrayList<>();
        for (int seq = 1; seq <= 2_000; seq++) {
            List<Reading> readings = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                Map<String, Double> m = new LinkedHashMap<>();
                m.put("temperature", Math.round((21 + rnd.nextGaussian()) * 100) / 100.0);
                m.put("humidity", Math.round((40 + rnd.nextGaussian()) * 100) / 100.0);
                m.put("battery", Math.round((3.7 - seq * 1e-5) * 1000) / 1000.0);
                m.put("pressure", Math.round((1013 + rnd.nextGaussian()) * 100) / 100.0);
                readings.add(Reading.of(T0 + seq * 10_000L + i * 1000, m));
            }
            entries.add(LedgerEntry.counted(
                    TelemetryMessage.fromDevice("sim-" + (seq % 50), seq, T0 + seq * 10_000L + 9_100, readings), true));
        }
        double bytesPerMessage = (double) write(entries).length / entries.size();
        assertThat(bytesPerMessage).as("bytes per 10x4 message").isLessThan(120);
    }

    @Test
    void rejectsAFileThatIsNotALedger() {
        assertThatThrownBy(() -> new LedgerReader(new ByteArrayInputStream(new byte[] {1, 2, 3}), "bad.bin"))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> LedgerEntry.quarantined("d", 1, 1, true, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ledger entry d/1");
    }

    private static byte[] write(List<LedgerEntry> entries) throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (LedgerWriter w = new LedgerWriter(sink)) {
            for (LedgerEntry e : entries) {
                w.write(e);
            }
        }
        return sink.toByteArray();
    }

    /**
     * A ledger written before reason codes and outcomes got fixed numbers (by the writer that wrote ordinals, kept as
     * a fixture): it must read back the same for good, whatever is later added to the enums.
     */
    @Test
    void aLedgerWrittenBeforeTheCodesWereFixedReadsBackTheSame() throws Exception {
        long t = 1764547200000L;
        List<LedgerEntry> expected = new ArrayList<>();
        expected.add(new LedgerEntry(
                "sim-000001",
                1,
                t,
                true,
                ExpectedOutcome.COUNTED,
                null,
                List.of(
                        Reading.of(t - 1000, new LinkedHashMap<>(Map.of("temperature", 21.5))),
                        Reading.of(t, new LinkedHashMap<>(Map.of("temperature", 21.75))))));
        expected.add(new LedgerEntry("sim-000001", 1, t + 10, false, ExpectedOutcome.DUPLICATE, null, List.of()));
        List<ReasonCode> reasonsThen = List.of(
                ReasonCode.MALFORMED_JSON,
                ReasonCode.SCHEMA_VIOLATION,
                ReasonCode.IDENTITY_MISMATCH,
                ReasonCode.TIMESTAMP_OUT_OF_RANGE,
                ReasonCode.TOO_LARGE,
                ReasonCode.LATE);
        int seq = 2;
        for (ReasonCode reason : reasonsThen) {
            expected.add(new LedgerEntry(
                    "sim-000002", seq++, t + 20 * seq, seq % 2 == 0, ExpectedOutcome.QUARANTINED, reason, List.of()));
        }
        List<LedgerEntry> read = new ArrayList<>();
        try (LedgerReader r = new LedgerReader(
                getClass().getResourceAsStream("/ledger/written-before-stable-codes.ledger"), "fixture")) {
            while (r.hasNext()) {
                read.add(r.next());
            }
            assertThat(r.complete()).isTrue();
        }
        assertThat(read).containsExactlyElementsOf(expected);
    }

    @Test
    void everyReasonAndOutcomeHasItsOwnLedgerCode() {
        assertThat(LedgerFormat.REASON_CODES).containsOnlyKeys(ReasonCode.values());
        assertThat(LedgerFormat.OUTCOME_CODES).containsOnlyKeys(ExpectedOutcome.values());
        assertThat(LedgerFormat.REASON_CODES.values())
                .doesNotHaveDuplicates()
                .allMatch(code -> code >= 0 && code < 256);
        assertThat(LedgerFormat.OUTCOME_CODES.values()).doesNotHaveDuplicates().allMatch(code -> code >= 0 && code < 4);
    }
}
