package org.sepl.connector.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.sepl.connector.emulator.HeadlessChromium;

/**
 * The demo launched with {@code --web-console 0}, driven in headless Chromium: the generated password logs in (and
 * a well-known one does not), the client's configuration shows in the Configuration page from its metatype, a
 * change saved there restarts the client with the new setting and it reconnects, and the status page shows the
 * client READY. Screenshots in {@code target/browser-tests/}.
 */
class WebConsoleBrowserIT {

    private static final Duration STARTUP = Duration.ofSeconds(90);
    private static final Pattern CONSOLE = Pattern.compile(
            "Felix Web Console: http://127\\.0\\.0\\.1:(\\d+)/system/console   user 'admin', password '([^']+)'");
    private static final String PID = "org.sepl.connector.client";

    @TempDir
    Path workDir;
    @TempDir
    Path profile;
    private ChromeDriver browser;

    @AfterEach
    void quit() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void configurationFromMetatypeIsEditedLiveAndStatusShowsReady() throws Exception {
        try (LauncherProcess launcher = LauncherProcess.start(workDir, List.of("-Xmx64m"), "--web-console", "0")) {
            launcher.awaitConsole("the web console's address", STARTUP, s -> CONSOLE.matcher(s).find());
            launcher.awaitConsole("Ready", STARTUP, s -> LauncherProcess.showsReady(s, null));
            Matcher console = CONSOLE.matcher(launcher.console());
            assertTrue(console.find());
            int port = Integer.parseInt(console.group(1));
            String password = console.group(2);
            assertTrue(password.length() >= 20, password);

            // basic auth: the generated password only
            assertEquals(401, get(port, "admin:admin"));
            assertEquals(200, get(port, "admin:" + password));

            browser = HeadlessChromium.start(profile);
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
            String root = "http://admin:" + password + "@127.0.0.1:" + port + "/system/console";

            // Configuration page: the client's configuration from connector.impl's metatype
            browser.get(root + "/configMgr");
            wait.until(ExpectedConditions.presenceOfElementLocated(By.xpath("//*[contains(text(), 'SEPL connector client')]")));
            // the existing (singleton) configuration, not a new factory configuration of the same metatype
            browser.get(root + "/configMgr/" + PID);
            WebElement timeout = wait.until(ExpectedConditions.visibilityOfElementLocated(
                    By.name("requestTimeoutMillis")));
            assertEquals("10000", timeout.getAttribute("value"));
            screenshot("webconsole-config.png");

            long readyBefore = readyLines(launcher.console());
            timeout.clear();
            timeout.sendKeys("7000");
            browser.findElement(By.xpath("//button[normalize-space(.)='Save']")).click();
            // the component restarts with the new setting and the client connects again
            launcher.awaitConsole("the client restarted with the new timeout", STARTUP,
                    s -> s.contains("Started ClientSettings[") && s.contains("requestTimeoutMillis=7000"));
            launcher.awaitConsole("the client ready again", STARTUP, s -> readyLines(s) > readyBefore);

            // status page: the inventory printer of the clients
            browser.get(root + "/" + "status-seplclients");
            wait.until(ExpectedConditions.textMatches(By.tagName("body"), Pattern.compile("state: READY")));
            String status = browser.findElement(By.tagName("body")).getText();
            assertTrue(status.contains("Client " + PID) && status.contains("gatewayId: ")
                    && status.contains("requestsInFlight: ") && status.contains("commandsQueued: ")
                    && status.contains("stateSince: "), status);
            screenshot("webconsole-status.png");

            launcher.terminate();
            launcher.awaitExit(Duration.ofSeconds(30));
            assertFalse(launcher.console().contains("Exception in thread"), launcher.console());
        }
        // the password went to the console once, and nowhere else
        String log = Files.readString(workDir.resolve("logs/gateway.0.log"), StandardCharsets.UTF_8);
        assertTrue(log.contains("Felix Web Console on http://127.0.0.1:"), log);
        assertFalse(CONSOLE.matcher(log).find(), "the log file holds the password line:\n" + log);
    }

    @Test
    void withoutTheFlagNoWebConsoleBundleIsInstalled() throws Exception {
        try (LauncherProcess launcher = LauncherProcess.start(workDir, List.of(), "--web-console", "0")) {
            launcher.awaitConsole("the web console's address", STARTUP, s -> CONSOLE.matcher(s).find());
            launcher.terminate();
            launcher.awaitExit(Duration.ofSeconds(30));
        }
        try (LauncherProcess launcher = LauncherProcess.start(workDir, List.of())) {
            launcher.awaitConsole("Ready", STARTUP, s -> LauncherProcess.showsReady(s, null));
            assertTrue(launcher.console().contains("Uninstalling org.apache.felix.webconsole"), launcher.console());
            assertFalse(launcher.console().contains("Felix Web Console"), launcher.console());
            assertFalse(launcher.console().contains("Started Jetty"), launcher.console());
            launcher.terminate();
            launcher.awaitExit(Duration.ofSeconds(30));
        }
    }

    private static int get(int port, String credentials) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder()
                .uri(URI.create("http://127.0.0.1:" + port + "/system/console/bundles"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        credentials.getBytes(StandardCharsets.UTF_8)))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** @return how many times the client logged that it is ready */
    private static long readyLines(String console) {
        return console.lines().filter(line -> LauncherProcess.showsReady(line, null)).count();
    }

    private void screenshot(String name) throws Exception {
        Path file = Path.of("target", "browser-tests", name);
        Files.createDirectories(file.getParent());
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), file, StandardCopyOption.REPLACE_EXISTING);
    }
}
