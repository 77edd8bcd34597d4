package io.github.iottelemetry.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.iottelemetry.core.ledger.ExpectedOutcome;
import io.github.iottelemetry.core.ledger.LedgerEntry;
import io.github.iottelemetry.core.ledger.LedgerReader;
import io.github.iottelemetry.core.validation.ReasonCode;
import io.github.iottelemetry.core.window.Resolution;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command, small: `./pipeline demo` with 50 devices for 30 s and heavy faults, run as a
 * user runs it (its own process, the launcher, the packages the build just made), with its web console open. Verify
 * must say EXACT, and each named query must return the rows the generated data implies; in a real headless
 * Chromium the console must show the run (see {@link ConsoleInTheBrowser}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DemoIT {

    @TempDir
    static Path state;

    private DemoRun.Running demo;
    private int consolePort;

    @BeforeAll
    void startTheDemoWithItsConsole() throws Exception {
        try (java.net.ServerSocket socket =
                new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            consolePort = socket.getLocalPort();
        }
        demo = DemoRun.start(
                state,
                "--devices",
                "50",
                "--duration",
                "30s",
                "--faults",
                "heavy",
                "--console",
                "--console-port",
                Integer.toString(consolePort));
    }

    @AfterAll
    void stopIt() throws Exception {
        if (demo != null) {
            demo.close();
            assertThat(demo.process().isAlive()).as("the demo stops on SIGTERM").isFalse();
            assertThat(state.resolve("cloud/env"))
                    .as("the demo removes its env file when it stops")
                    .doesNotExist();
        }
    }

    /** While the fleet runs and after verify: the console, in Chromium, against the ledger. */
    @Test
    @Order(1)
    void theConsoleShowsTheRunInABrowser() throws Exception {
        String url = demo.awaitLine(l -> l.startsWith("==> console: "), Duration.ofMinutes(3))
                .replaceAll("^==> console: (\\S+).*$", "$1");
        assertThat(url).isEqualTo("http://127.0.0.1:" + consolePort + "/");
        new ConsoleInTheBrowser(demo, state, url).check();
    }

    @Test
    @Order(2)
    void aSmallDemoWithFaultsIsExactAndEveryNamedQueryAnswers() throws Exception {
        // With --console the demo keeps the console open after its summary, until Ctrl-C.
        demo.awaitLine(l -> l.startsWith("==> the console stays open at "), Duration.ofMinutes(10));
        List<String> out = demo.output();
        String tail = String.join("\n", out.subList(Math.max(0, out.size() - 40), out.size()));
        assertThat(out).as(tail).contains("verdict: EXACT").anyMatch(l -> l.equals("  verify        EXACT"));

        // What the generated data implies for the named queries.
        Map<ReasonCode, Integer> quarantined = new EnumMap<>(ReasonCode.class);
        TreeSet<String> metrics = new TreeSet<>();
        TreeSet<String> devices = new TreeSet<>();
        List<LedgerEntry> counted = new ArrayList<>();
        try (LedgerReader ledger = LedgerReader.open(state.resolve("cloud/ledger.bin.gz"))) {
            while (ledger.hasNext()) {
                LedgerEntry e = ledger.next();
                if (e.outcome() == ExpectedOutcome.QUARANTINED && e.acked()) {
                    quarantined.merge(e.reason(), 1, Integer::sum);
                }
                if (e.outcome() == ExpectedOutcome.COUNTED) {
                    counted.add(e);
                }
                if (e.outcome() == ExpectedOutcome.COUNTED && e.acked()) {
                    devices.add(e.deviceId());
                    e.readings().forEach(r -> {
                        for (int k = 0; k < r.metricCount(); k++) {
                            metrics.add(r.metricName(k));
                        }
                    });
                }
            }
        }
        assertThat(quarantined).as("heavy faults quarantine something").isNotEmpty();
        assertThat(queryLine(out, "quarantine-by-reason")).as(tail).contains(": " + quarantined.size() + " rows");
        assertThat(queryLine(out, "fleet-metric-range")).as(tail).contains(": " + metrics.size() + " rows");
        assertThat(queryLine(out, "top-devices-by-metric")).as(tail).contains(": 5 rows");
        assertThat(queryLine(out, "device-hourly-summary")).as(tail).doesNotContain(": 0 rows");
        // silent-devices [day, cutoff]: devices whose last 1-minute window of that day or later ends before the cutoff.
        Matcher silent = Pattern.compile("\\[(\\d{4}-\\d{2}-\\d{2}), (\\d+)]: (\\d+) rows")
                .matcher(queryLine(out, "silent-devices"));
        assertThat(silent.find()).as(tail).isTrue();
        long fromDay = LocalDate.parse(silent.group(1)).toEpochDay() * 86_400_000L;
        long cutoff = Long.parseLong(silent.group(2));
        int reported = Integer.parseInt(silent.group(3));
        // Each acknowledged message is in the aggregates; one not acknowledged may or may not be: a range, exact
        // when every counted message was acknowledged.
        assertThat(reported)
                .as(tail)
                .isBetween(
                        silentDevices(counted, fromDay, cutoff, false), silentDevices(counted, fromDay, cutoff, true));
        assertThat(devices).hasSize(50);
    }

    private static int silentDevices(List<LedgerEntry> counted, long fromDay, long cutoff, boolean ackedOnly) {
        Resolution minute = new Resolution("1m", 60_000);
        Map<String, Long> lastWindowEnd = new HashMap<>();
        for (LedgerEntry e : counted) {
            if (ackedOnly && !e.acked()) {
                continue;
            }
            e.readings().stream()
                    .filter(r -> minute.windowStart(r.ts()) >= fromDay)
                    .forEach(r -> lastWindowEnd.merge(e.deviceId(), minute.windowEnd(r.ts()), Math::max));
        }
        return (int) lastWindowEnd.values().stream().filter(end -> end < cutoff).count();
    }

    private static String queryLine(List<String> out, String name) {
        List<String> lines = new ArrayList<>(
                out.stream().filter(l -> l.startsWith("  " + name + " [")).toList());
        assertThat(lines).as("the demo ran " + name).hasSize(1);
        return lines.get(0);
    }
}
