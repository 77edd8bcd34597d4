package io.github.iottelemetry.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.iottelemetry.core.ledger.ExpectedOutcome;
import io.github.iottelemetry.core.ledger.LedgerEntry;
import io.github.iottelemetry.core.ledger.LedgerReader;
import io.github.iottelemetry.core.validation.ReasonCode;
import io.github.iottelemetry.core.window.Resolution;
import io.github.iottelemetry.query.cli.LocalCloudEnv;
import io.github.iottelemetry.verify.LedgerExpectation;
import io.github.iottelemetry.verify.Observed;
import io.github.iottelemetry.verify.WindowMetricKey;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * The console of a running demo in a real headless Chromium: the Flow counters rise while the fleet runs; after
 * verify, a device's chart table shows what the ledger expects for its windows, the quarantine lists the reasons
 * the faults caused, a record whose bytes are markup ({@code <script>}, {@code onerror=}) shows as text and runs
 * nothing, and a named query returns rows and its CSV. The Flow page's screenshot goes to
 * {@code demo/target/console-flow.png} (README's picture is one of these).
 */
final class ConsoleInTheBrowser {

    /** Bytes a device could send: markup that would run if the page inserted it as HTML. */
    static final String HOSTILE = "<script>window.__pwned=1</script><img src=x onerror=\"document.title='pwned'\">";

    private final DemoRun.Running demo;
    private final Path state;
    private final String url;

    ConsoleInTheBrowser(DemoRun.Running demo, Path state, String url) {
        this.demo = demo;
        this.state = state;
        this.url = url;
    }

    void check() throws Exception {
        ChromeDriver browser = SystemChromium.startOrSkip();
        try {
            browser.get(url);
            String title = browser.getTitle();
            flowCountersRise(browser);
            screenshot(browser, Path.of("target", "console-flow.png"));

            demo.awaitLine(l -> l.startsWith("==> the console stays open at "), Duration.ofMinutes(10));
            assertThat(demo.output()).contains("verdict: EXACT");
            assertThat(total(browser, "processor.windowsWritten"))
                    .as("windows written")
                    .isPositive();

            deviceChartMatchesTheLedger(browser);
            quarantineShowsReasonsAndMarkupAsText(browser, title);
            aNamedQueryReturnsRowsAndCsv(browser);
            fleetChartsComeFromTheLake(browser);
        } finally {
            browser.quit();
        }
    }

    private void flowCountersRise(ChromeDriver browser) {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(120), Duration.ofMillis(250));
        wait.until(b -> total(b, "broker.publishesAccepted") > 0);
        long published = total(browser, "broker.publishesAccepted");
        long valid = total(browser, "ingest.validRecords");
        // Updated in place once a second from the components' counters, without reloading the page.
        wait.until(b -> total(b, "broker.publishesAccepted") > published);
        wait.until(b -> total(b, "ingest.validRecords") > valid);
        wait.until(b -> total(b, "kinesis.recordsPut") > 0 && total(b, "processor.recordsRead") > 0);
        assertThat(browser.findElement(By.cssSelector("[data-stage='broker']")).getAttribute("data-health"))
                .isIn("ok", "idle");
        assertThat(browser.findElements(By.cssSelector("#flow-shards tbody tr")))
                .isNotEmpty();
        assertThat(browser.findElement(By.id("flow-status")).getText()).startsWith("live");
    }

    private static long total(WebDriver browser, String counter) {
        try {
            List<WebElement> rows = browser.findElements(By.cssSelector("[data-counter='" + counter + "']"));
            if (rows.isEmpty()) {
                return -1;
            }
            String total = rows.get(0).getAttribute("data-total");
            return total == null || total.isEmpty() ? -1 : Long.parseLong(total);
        } catch (StaleElementReferenceException e) {
            return -1;
        }
    }

    /** A device whose every counted message was acknowledged: its windows are exactly the ledger's. */
    private void deviceChartMatchesTheLedger(ChromeDriver browser) throws Exception {
        Resolution minute = new Resolution("1m", 60_000);
        LedgerExpectation ledger = LedgerExpectation.read(state.resolve("cloud/ledger.bin.gz"));
        Map<WindowMetricKey, Observed> expected = ledger.expected(List.of(minute), Set.of());
        Set<String> unackedDevices = new HashSet<>();
        ledger.unackedMessages().forEach(m -> unackedDevices.add(m.substring(0, m.indexOf('#'))));
        String device = expected.keySet().stream()
                .map(WindowMetricKey::deviceId)
                .filter(d -> !unackedDevices.contains(d))
                .sorted()
                .findFirst()
                .orElseThrow(() -> new AssertionError("no device with every message acknowledged"));

        browser.findElement(By.id("tab-devices")).click();
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60), Duration.ofMillis(250));
        WebElement search = wait.until(b -> b.findElement(By.id("devices-search")));
        search.sendKeys(device);
        wait.until(b -> !b.findElements(By.cssSelector("#devices-table [data-device='" + device + "']"))
                .isEmpty());
        browser.findElement(By.cssSelector("#devices-table [data-device='" + device + "']"))
                .click();
        wait.until(b -> b.findElement(By.id("device-selected")).getText().contains(device));
        wait.until(b -> !b.findElements(By.cssSelector("[data-chart] [data-window-start]"))
                .isEmpty());

        int compared = 0;
        for (WebElement chart : browser.findElements(By.cssSelector("[data-chart]"))) {
            String metric = chart.getAttribute("data-chart");
            assertThat(chart.findElements(By.tagName("canvas")))
                    .as("uPlot drew " + metric)
                    .isNotEmpty();
            for (WebElement row : chart.findElements(By.cssSelector("[data-window-start]"))) {
                long start = Long.parseLong(row.getAttribute("data-window-start")) * 1000;
                Observed want = expected.get(new WindowMetricKey(device, "1m", start, metric));
                assertThat(want)
                        .as("the ledger has %s %s at %d", device, metric, start)
                        .isNotNull();
                assertThat(Double.parseDouble(cell(row, "min")))
                        .as(metric + " min")
                        .isEqualTo(want.min());
                assertThat(Double.parseDouble(cell(row, "max")))
                        .as(metric + " max")
                        .isEqualTo(want.max());
                assertThat(Long.parseLong(cell(row, "count")))
                        .as(metric + " count")
                        .isEqualTo(want.count());
                assertThat(Double.parseDouble(cell(row, "mean")))
                        .as(metric + " mean")
                        .isCloseTo(want.sum() / want.count(), org.assertj.core.data.Offset.offset(1e-9));
                compared++;
            }
        }
        assertThat(compared).as("windows compared with the ledger").isPositive();
        screenshot(browser, Path.of("target", "console-device.png"));
    }

    private static String cell(WebElement row, String name) {
        return row.findElement(By.cssSelector("td." + name)).getText().strip();
    }

    private void quarantineShowsReasonsAndMarkupAsText(ChromeDriver browser, String title) throws Exception {
        putIntoTheStream(HOSTILE);
        Set<String> reasons = new TreeSet<>();
        try (LedgerReader ledger = LedgerReader.open(state.resolve("cloud/ledger.bin.gz"))) {
            while (ledger.hasNext()) {
                LedgerEntry e = ledger.next();
                if (e.outcome() == ExpectedOutcome.QUARANTINED && e.acked()) {
                    reasons.add(e.reason().name());
                }
            }
        }
        assertThat(reasons).as("heavy faults quarantine something").isNotEmpty();

        browser.findElement(By.id("tab-quarantine")).click();
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(90), Duration.ofSeconds(1));
        WebElement hostile = wait.until(b -> {
            for (WebElement payload : b.findElements(By.cssSelector("#quarantine-table .payload"))) {
                if (payload.getText().contains("window.__pwned")) {
                    return payload;
                }
            }
            b.findElement(By.id("quarantine-refresh")).click();
            return null;
        });
        assertThat(hostile.getText()).isEqualTo(HOSTILE);
        Set<String> listed = new TreeSet<>();
        for (WebElement option : browser.findElements(By.cssSelector("#quarantine-reason option"))) {
            listed.add(option.getAttribute("value"));
        }
        assertThat(listed).containsAll(reasons).contains(ReasonCode.MALFORMED_JSON.name());
        // Shown, not run: no element came from the bytes, no script ran.
        assertThat(browser.findElements(By.cssSelector("#quarantine-table img")))
                .isEmpty();
        assertThat(browser.findElements(By.cssSelector("#quarantine-table script")))
                .isEmpty();
        assertThat(((JavascriptExecutor) browser).executeScript("return typeof window.__pwned"))
                .isEqualTo("undefined");
        assertThat(browser.getTitle()).isEqualTo(title);
    }

    /** A record straight into the local cloud's stream, as if a device had sent these bytes. */
    private void putIntoTheStream(String data) throws Exception {
        Map<String, String> env = LocalCloudEnv.read(state.resolve("cloud")).values();
        System.setProperty("aws.cborEnabled", "false");
        try (KinesisClient kinesis = KinesisClient.builder()
                .endpointOverride(URI.create(env.get("AWS_ENDPOINT_URL_KINESIS")))
                .region(Region.of(env.get("AWS_REGION")))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(env.get("AWS_ACCESS_KEY_ID"), env.get("AWS_SECRET_ACCESS_KEY"))))
                .build()) {
            kinesis.putRecord(b -> b.streamName(env.get("STREAM_NAME"))
                    .partitionKey("hostile-device")
                    .data(SdkBytes.fromString(data, StandardCharsets.UTF_8)));
        }
    }

    private void aNamedQueryReturnsRowsAndCsv(ChromeDriver browser) throws Exception {
        Set<String> metrics = new TreeSet<>();
        try (LedgerReader ledger = LedgerReader.open(state.resolve("cloud/ledger.bin.gz"))) {
            while (ledger.hasNext()) {
                LedgerEntry e = ledger.next();
                if (e.outcome() == ExpectedOutcome.COUNTED && e.acked()) {
                    e.readings().forEach(r -> {
                        for (int k = 0; k < r.metricCount(); k++) {
                            metrics.add(r.metricName(k));
                        }
                    });
                }
            }
        }
        browser.findElement(By.id("tab-queries")).click();
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60), Duration.ofMillis(250));
        By query = By.cssSelector("[data-query='fleet-metric-range']");
        wait.until(b -> !b.findElements(query).isEmpty());
        browser.findElement(query).findElement(By.cssSelector(".run")).click();
        By rows = By.cssSelector("[data-query='fleet-metric-range'] .result-table tbody tr");
        wait.until(b -> !b.findElements(rows).isEmpty());
        // One row per metric the fleet sent (the same count DemoIT expects from the demo's own run of it).
        assertThat(browser.findElements(rows)).hasSize(metrics.size());
        assertThat(browser.findElement(query)
                        .findElement(By.cssSelector(".status"))
                        .getText())
                .startsWith(metrics.size() + " rows");

        String csvHref =
                browser.findElement(query).findElement(By.cssSelector("a.csv")).getAttribute("href");
        assertThat(csvHref).contains("/api/queries/fleet-metric-range/csv?p=");
        HttpResponse<String> csv = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(URI.create(csvHref)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.body().split("\r\n")).hasSize(metrics.size() + 1);
        Map<String, Integer> seen = new HashMap<>();
        for (String line : csv.body().split("\r\n")) {
            seen.merge(line.split(",")[0], 1, Integer::sum);
        }
        assertThat(seen.keySet()).containsAll(metrics);
    }

    private void fleetChartsComeFromTheLake(ChromeDriver browser) {
        browser.findElement(By.id("tab-fleet")).click();
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60), Duration.ofMillis(250));
        wait.until(b ->
                !b.findElements(By.cssSelector("[data-fleet-chart] canvas")).isEmpty());
        assertThat(browser.findElements(By.cssSelector("#fleet-quarantine [data-reason='MALFORMED_JSON']")))
                .hasSize(1);
    }

    private static void screenshot(TakesScreenshot browser, Path file) throws Exception {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), file, StandardCopyOption.REPLACE_EXISTING);
    }
}
