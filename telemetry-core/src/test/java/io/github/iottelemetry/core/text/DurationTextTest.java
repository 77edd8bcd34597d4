package io.github.iottelemetry.core.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationTextTest {

    @Test
    void aNumberAndAUnit() {
        assertThat(DurationText.parse("500ms", "--x")).isEqualTo(Duration.ofMillis(500));
        assertThat(DurationText.parse(" 90s ", "--x")).isEqualTo(Duration.ofSeconds(90));
        assertThat(DurationText.parse("1.5m", "--x")).isEqualTo(Duration.ofSeconds(90));
        assertThat(DurationText.parse("2h", "--x")).isEqualTo(Duration.ofHours(2));
        assertThat(DurationText.parse("0s", "--x")).isZero();
    }

    @Test
    void anythingElseIsRefusedNamingTheOption() {
        for (String bad : new String[] {"240", "10 m", "-5s", "1d", "", "s"}) {
            assertThatThrownBy(() -> DurationText.parse(bad, "--drain-timeout"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("--drain-timeout '" + bad + "'");
        }
        assertThatThrownBy(() -> DurationText.parse(null, "--duration")).hasMessageStartingWith("--duration 'null'");
    }
}
