package io.github.iottelemetry.core.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResolutionTest {

    @ParameterizedTest
    @CsvSource({
        "30s,30000",
        "1m,60000",
        "5m,300000",
        "15m,900000",
        "1h,3600000",
        "6h,21600000",
        "1d,86400000",
        " 1m ,60000"
    })
    void parsesSizes(String text, long millis) {
        Resolution r = Resolution.parse(text);
        assertThat(r.millis()).isEqualTo(millis);
        assertThat(r.label()).isEqualTo(text.trim());
    }

    @Test
    void windowsAreEpochAlignedStartInclusiveEndExclusive() {
        Resolution m = Resolution.parse("1m");
        long t = 1_763_884_800_000L; // a whole minute
        assertThat(m.windowStart(t)).isEqualTo(t);
        assertThat(m.windowStart(t + 59_999)).isEqualTo(t);
        assertThat(m.windowStart(t + 60_000)).isEqualTo(t + 60_000);
        assertThat(m.windowEnd(t + 1)).isEqualTo(t + 60_000);
        Resolution h = Resolution.parse("1h");
        assertThat(h.windowStart(t + 1_234_567)).isEqualTo(t); // 08:00 UTC
        assertThat(Resolution.parse("1d").windowStart(t)).isEqualTo(1_763_856_000_000L); // 2025-11-23T00:00Z
    }

    @Test
    void timestampsBeforeTheEpochFloorDownward() {
        assertThat(Resolution.parse("1m").windowStart(-1)).isEqualTo(-60_000);
    }

    @Test
    void clearErrors() {
        assertThatThrownBy(() -> Resolution.parse("")).hasMessageContaining("resolution is empty");
        assertThatThrownBy(() -> Resolution.parse("1x"))
                .hasMessage("resolution \"1x\": unknown unit 'x', expected s, m, h or d (e.g. 1m, 5m, 1h)");
        assertThatThrownBy(() -> Resolution.parse("m")).hasMessageContaining("\"\" is not a whole number");
        assertThatThrownBy(() -> Resolution.parse("1.5m")).hasMessageContaining("\"1.5\" is not a whole number");
        assertThatThrownBy(() -> Resolution.parse("0m")).hasMessage("resolution \"0m\": must be positive");
        assertThatThrownBy(() -> Resolution.parse("7m")).hasMessageContaining("must divide a day evenly");
        assertThatThrownBy(() -> Resolution.parse("8d")).hasMessageContaining("between 1s and 7d");
        assertThatThrownBy(() -> Resolution.parse("99999999999999999d")).hasMessageContaining("between 1s and 7d");
    }

    @Test
    void parsesLists() {
        assertThat(Resolution.parseList("1m,1h")).extracting(Resolution::label).containsExactly("1m", "1h");
        assertThatThrownBy(() -> Resolution.parseList("1m,60s"))
                .hasMessageContaining("1m and 60s are the same window size");
    }
}
