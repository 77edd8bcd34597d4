package io.github.iottelemetry.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.iottelemetry.core.ledger.ExpectedOutcome;
import io.github.iottelemetry.core.ledger.LedgerEntry;
import io.github.iottelemetry.core.ledger.LedgerWriter;
import io.github.iottelemetry.core.payload.Reading;
import io.github.iottelemetry.core.window.Resolution;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LedgerExpectationTest {

    @TempDir
    Path folder;

    private static LedgerEntry counted(String device, long seq, boolean acked, double value) {
        return new LedgerEntry(
                device,
                seq,
                1_000,
                acked,
                ExpectedOutcome.COUNTED,
                null,
                List.of(Reading.of(10_000, Map.of("t", value))));
    }

    @Test
    void fromAFileEveryCountedMessageIsReadAgainAndTheUnacknowledgedOnesThatArrivedCountOnce() throws Exception {
        List<LedgerEntry> entries = List.of(
                counted("d", 1, true, 1.0),
                counted("d", 2, false, 2.0), // arrived, says the output
                counted("d", 3, false, 4.0), // never arrived
                counted("e", 1, false, 8.0));
        Path ledger = folder.resolve("ledger.bin.gz");
        try (LedgerWriter w = LedgerWriter.create(ledger)) {
            for (LedgerEntry e : entries) {
                w.write(e);
            }
        }
        List<Resolution> minute = List.of(new Resolution("1m", 60_000));
        Set<String> arrived = Set.of("d#2");

        LedgerExpectation fromFile = LedgerExpectation.read(ledger);
        LedgerExpectation inMemory = LedgerExpectation.of(entries);

        assertThat(fromFile.countedAcked()).isEqualTo(1);
        assertThat(fromFile.ackedMessages()).containsExactly("d#1");
        assertThat(fromFile.countedUnacked()).isEqualTo(3);
        assertThat(fromFile.unackedMessages()).containsExactlyInAnyOrder("d#2", "d#3", "e#1");
        assertThat(fromFile.expected(minute, arrived))
                .isEqualTo(inMemory.expected(minute, arrived))
                .containsEntry(
                        new WindowMetricKey("d", "1m", 0, "t"),
                        new Observed(2, 3.0, 1.0, 2.0, 10_000, 1.0, 10_000, 2.0));
        assertThat(fromFile.expected(minute, Set.of())).isEqualTo(inMemory.expected(minute, Set.of()));
    }
}
