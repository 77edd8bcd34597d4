package io.github.iottelemetry.processor.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.iottelemetry.core.lake.LakeLayout;
import io.github.iottelemetry.core.lake.RawArchiveLine;
import io.github.iottelemetry.core.window.Resolution;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReplayOrderTest {
    private static RawArchiveLine record(String sequenceNumber) {
        return new RawArchiveLine("shardId-000000000000", sequenceNumber, 0, new byte[0]);
    }

    @Test
    void recordsAreOrderedBySequenceNumberAsNumbersAndARecordArchivedTwiceCountsOnce() {
        String beyondLong = "49658979253716463412475036544081152655478612436123123712";
        HourRange range = HourRange.parse("2026-11-23T10", null);
        ReplaySummary summary = new ReplaySummary(range, "b", List.of(Resolution.ONE_MINUTE), Set.of(), false);
        List<RawArchiveLine> ordered =
                RawReplay.inShardOrder(List.of(record("10"), record(beyondLong), record("9"), record("10")), summary);
        assertThat(ordered).extracting(RawArchiveLine::sequenceNumber).containsExactly("9", "10", beyondLong);
        assertThat(summary.skipped()).containsEntry(ReplaySummary.ARCHIVED_TWICE, 1L);
        assertThat(summary.rawProblems()).isZero();
    }

    @Test
    void hourRangesListTheRawPrefixesOfEveryHourAcrossMidnight() {
        HourRange range = HourRange.parse("2026-11-23T22", "2026-11-24T01");
        assertThat(range.hours()).isEqualTo(4);
        assertThat(range.rawPrefixes())
                .containsExactly(
                        "raw/dt=2026-11-23/hour=22/",
                        "raw/dt=2026-11-23/hour=23/",
                        "raw/dt=2026-11-24/hour=00/",
                        "raw/dt=2026-11-24/hour=01/");
        assertThat(HourRange.parse("2026-11-23T10", null).first()).isEqualTo(Instant.parse("2026-11-23T10:00:00Z"));
    }

    @Test
    void badHoursAreRefusedWithTheExpectedForm() {
        assertThatThrownBy(() -> HourRange.parse("2026-11-23 10", null))
                .hasMessageContaining("--from \"2026-11-23 10\"")
                .hasMessageContaining("YYYY-MM-DDTHH");
        assertThatThrownBy(() -> HourRange.parse("2026-11-23T10", "2026-11-23T25"))
                .hasMessageContaining("--to");
        assertThatThrownBy(() -> HourRange.parse("2026-11-23T10", "2026-11-23T09"))
                .hasMessageContaining("before");
    }

    @Test
    void objectKeysNameTheirShardAndLinesKeepTheirNumbers() {
        assertThat(LakeLayout.shardOfRawKey(LakeLayout.rawKey(0, "shardId-000000000001", "4965")))
                .contains("shardId-000000000001");
        assertThat(LakeLayout.shardOfRawKey("raw/dt=2026-11-23/hour=10/notes.txt"))
                .isEmpty();
        List<byte[]> lines = RawArchive.splitLines("a\r\n\nb\nc".getBytes(StandardCharsets.UTF_8), false);
        assertThat(lines).extracting(l -> new String(l, StandardCharsets.UTF_8)).containsExactly("a", "", "b", "c");
        assertThat(RawArchive.splitLines("a\nb".getBytes(StandardCharsets.UTF_8), true))
                .hasSize(1);
    }
}
