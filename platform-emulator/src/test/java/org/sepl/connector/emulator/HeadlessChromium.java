package org.sepl.connector.emulator;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Starts Debian's headless Chromium through its chromedriver, both found on the PATH (or given by the system
 * properties {@code webdriver.chrome.driver} and {@code chromium.binary}); Selenium Manager, which would try to
 * download a driver, is never asked.
 * <p>
 * Without chromedriver the browser tests fail, saying how to install it, unless the build was started with
 * {@code -DskipBrowserTests}: then they are skipped.
 * <p>
 * Shared with felix-launcher's browser test through this module's test-jar.
 */
public final class HeadlessChromium {

    public static final String SKIP_PROPERTY = "skipBrowserTests";

    private HeadlessChromium() {
    }

    /** @param profile a fresh, empty directory for the browser's profile */
    public static ChromeDriver start(Path profile) {
        Path driver = find("webdriver.chrome.driver", "chromedriver");
        Path browser = find("chromium.binary", "chromium", "chromium-browser", "google-chrome");
        if (driver == null || browser == null) {
            String missing = driver == null
                    ? "chromedriver is not on the PATH (nor an executable at -Dwebdriver.chrome.driver)"
                    : "chromium is not on the PATH (nor an executable at -Dchromium.binary)";
            if (System.getProperty(SKIP_PROPERTY) != null) {
                Assumptions.abort(missing + "; browser tests skipped (-D" + SKIP_PROPERTY + ")");
            }
            Assertions.fail(missing + ". The browser tests need headless Chromium and its driver: on Debian/Ubuntu "
                    + "`apt-get update && apt-get install -y chromium chromium-driver` (.ci/run does this), or point "
                    + "-Dwebdriver.chrome.driver=/path/to/chromedriver -Dchromium.binary=/path/to/chromium at them; "
                    + "-D" + SKIP_PROPERTY + " skips these tests.");
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(browser.toFile());
        // as root in a container: no sandbox; without the networking flags Chromium's own connections are refused here
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1440,1000", "--user-data-dir=" + profile.toAbsolutePath());
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driver.toFile())
                .usingAnyFreePort().withTimeout(Duration.ofSeconds(30)).build();
        return new ChromeDriver(service, options);
    }

    private static Path find(String property, String... names) {
        String configured = System.getProperty(property);
        if (configured != null && !configured.isBlank()) {
            return Files.isExecutable(Path.of(configured)) ? Path.of(configured) : null;
        }
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
        for (String name : names) {
            for (String dir : List.of(path.split(File.pathSeparator))) {
                Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        return null;
    }
}
