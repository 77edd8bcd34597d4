package io.github.iottelemetry.demo;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The machine's own headless Chromium and its driver (Debian's {@code chromium} and {@code chromium-driver}, which
 * .ci/run installs), never a downloaded one. Where they are missing, a browser test is reported as skipped with the
 * command that installs them.
 */
final class SystemChromium {

    /** What .ci/run installs (the versions it pins). */
    static final String INSTALL = "sudo apt-get install -y --no-install-recommends chromium=" + CiVersions.CHROMIUM
            + " chromium-common=" + CiVersions.CHROMIUM + " chromium-driver=" + CiVersions.CHROMIUM
            + "   (or set CHROME_BINARY and CHROMEDRIVER)";

    private SystemChromium() {}

    /** A headless browser at 1280x900, or the test is skipped (not passed) with the install command. */
    static ChromeDriver startOrSkip() {
        Optional<Path> browser = find("CHROME_BINARY", "chromium", "chromium-browser", "google-chrome");
        Optional<Path> driver = find("CHROMEDRIVER", "chromedriver");
        Assumptions.assumeTrue(
                browser.isPresent() && driver.isPresent(),
                "no " + (browser.isEmpty() ? "Chromium" : "chromedriver") + " on this machine; install: " + INSTALL);
        ChromeOptions options = new ChromeOptions()
                .setBinary(browser.get().toFile())
                .addArguments(
                        "--headless=new",
                        "--no-sandbox",
                        "--disable-dev-shm-usage",
                        "--disable-gpu",
                        "--window-size=1280,900",
                        "--no-first-run",
                        "--disable-extensions");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(driver.get().toFile())
                .usingAnyFreePort()
                .withTimeout(Duration.ofSeconds(60))
                .build();
        return new ChromeDriver(service, options);
    }

    private static Optional<Path> find(String variable, String... names) {
        String explicit = System.getenv(variable);
        if (explicit != null && !explicit.isBlank()) {
            return Optional.of(Path.of(explicit)).filter(Files::isExecutable);
        }
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        return Stream.of(names)
                .flatMap(name -> Stream.of(path.split(File.pathSeparator)).map(dir -> Path.of(dir, name)))
                .filter(Files::isExecutable)
                .findFirst();
    }

    /** The Debian package version .ci/run pins, read from it so the skip message never goes stale. */
    static final class CiVersions {
        static final String CHROMIUM = read();

        private static String read() {
            try {
                for (String line : Files.readAllLines(DemoRun.HOME.resolve(".ci/run"))) {
                    if (line.startsWith("CHROMIUM_VERSION=")) {
                        return line.substring("CHROMIUM_VERSION=".length()).replace("\"", "");
                    }
                }
            } catch (java.io.IOException e) {
                // fall through
            }
            return "<version in .ci/run>";
        }
    }
}
