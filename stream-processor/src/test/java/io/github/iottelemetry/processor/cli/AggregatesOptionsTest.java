package io.github.iottelemetry.processor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.iottelemetry.core.window.Resolution;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class AggregatesOptionsTest {

    @Command
    static final class Holder {
        @Mixin
        AggregatesOptions aggregates;
    }

    private static AggregatesOptions parse(String... args) {
        Holder holder = new Holder();
        new CommandLine(holder).parseArgs(args);
        return holder.aggregates;
    }

    @Test
    void shortWindowsKeepTheirOwnTimeToLiveAndOtherwiseTheOneOfAllWindows() {
        AggregatesOptions hotTier = parse("--ttl-days", "365", "--short-window-ttl-days", "7");
        assertThat(hotTier.timeToLive().of(Resolution.parse("1m"))).isEqualTo(Duration.ofDays(7));
        assertThat(hotTier.timeToLive().of(Resolution.parse("30s"))).isEqualTo(Duration.ofDays(7));
        assertThat(hotTier.timeToLive().of(Resolution.parse("1h"))).isEqualTo(Duration.ofDays(365));

        AggregatesOptions uniform = parse("--ttl-days", "90");
        assertThat(uniform.timeToLive().of(Resolution.parse("1m"))).isEqualTo(Duration.ofDays(90));
    }
}
