package org.sepl.connector.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import com.google.gson.JsonObject;

/**
 * The control page at {@code /} in headless Chromium, as a gateway developer uses it: a gateway connects and puts
 * its devices, they appear; its events appear live; a command typed into the form reaches the gateway and its
 * answer is shown with the latency; the fault switches and the restart button act on the platform. Leaves a screenshot in {@code target/browser-tests/control-page.png}.
 */
class ControlPageBrowserTest {

    /** Longer than the page's poll period (0.5 s) with room for a loaded build machine. */
    private static final Duration UPDATE = Duration.ofSeconds(10);

    private static final String LONG_DEVICE = "urn:infai:ses:device:6f1c2c3e-9b1d-4a51-8d7e-2f0c5a7b9e11";

    private PlatformEmulator platform;
    private ChromeDriver browser;
    private WebDriverWait wait;

    @BeforeEach
    void start(@TempDir Path profile) throws Exception {
        platform = PlatformEmulator.builder().user("alice", "secret").controlPort(0).start();
        browser = HeadlessChromium.start(profile);
        wait = new WebDriverWait(browser, UPDATE);
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        platform.close();
    }

    @Test
    void showsTheGatewayAndItsEventsLiveAndAnswersACommandSentFromTheForm() throws Exception {
        browser.get("http://127.0.0.1:" + platform.controlPort() + "/");
        wait.until(ExpectedConditions.textToBe(By.id("live"), "live"));
        assertEquals(platform.uri().toString(), browser.findElement(By.id("uri")).getText());

        try (TestGateway gateway = TestGateway.handshake(platform, "alice", "secret", "")) {
            assertEquals(200, gateway.status("put", ProtocolTest.device("demo-lamp-1", "Hall lamp", "iot#lamp", "room:hall")));
            assertEquals(200, gateway.status("put", ProtocolTest.device("demo-meter-1", "Power meter", "iot#meter", "room:cellar")));
            // ids as long as the real platform's: the page must keep them inside their card (checked at 1,200 px)
            assertEquals(200, gateway.status("put", ProtocolTest.device(LONG_DEVICE, "Heat pump", "urn:infai:ses:device-type:heat-pump-v2",
                    "room:utility-room-basement", "vendor:acme-thermal-systems")));
            assertEquals(200, gateway.status("commit", "5c2b9f0e"));
            assertEquals(200, gateway.status("disconnect", "demo-meter-1"));

            WebElement lamp = wait.until(ExpectedConditions.presenceOfElementLocated(
                    By.cssSelector("#gateways tr[data-device='demo-lamp-1'][data-listening='true']")));
            assertTrue(lamp.getText().contains("Hall lamp"), lamp.getText());
            wait.until(ExpectedConditions.presenceOfElementLocated(
                    By.cssSelector("#gateways tr[data-device='demo-meter-1'][data-listening='false']")));
            assertTrue(browser.findElement(By.id("gateways")).getText().contains("5c2b9f0e"));

            // events arrive while the page is open: it shows them without a reload, with their status
            assertEquals(200, gateway.status("event", ProtocolTest.event("demo-lamp-1", "state", "{\"on\":false}", null)));
            assertEquals(400, gateway.status("event", ProtocolTest.event("demo-meter-1", "power", "{\"watts\":42}", null)));
            WebElement accepted = wait.until(ExpectedConditions.presenceOfElementLocated(
                    By.cssSelector("#events tr[data-device='demo-lamp-1']")));
            assertTrue(accepted.getText().contains("{\"on\":false}") && accepted.getText().contains("200"), accepted.getText());
            WebElement refused = wait.until(ExpectedConditions.presenceOfElementLocated(
                    By.cssSelector("#events tr[data-device='demo-meter-1']")));
            assertTrue(refused.getText().contains("400"), refused.getText());

            // a command from the form: the gateway gets it, answers, the page shows the answer and its latency
            browser.findElement(By.id("command-device")).sendKeys("demo-lamp-1");
            browser.findElement(By.id("command-service")).sendKeys("on");
            browser.findElement(By.id("command-data")).sendKeys("{\"on\":true}");
            browser.findElement(By.id("command-send")).click();

            JsonObject command = gateway.next();
            assertEquals("command", command.get("handler").getAsString());
            JsonObject payload = command.getAsJsonObject("payload");
            assertEquals("demo-lamp-1", payload.get("device_url").getAsString());
            assertEquals("on", payload.get("service_url").getAsString());
            assertEquals("{\"on\":true}", payload.getAsJsonArray("protocol_parts").get(1).getAsJsonObject().get("value").getAsString());
            JsonObject response = payload.deepCopy();
            response.add("protocol_parts", ProtocolTest.event("demo-lamp-1", "on", "{\"on\":true,\"brightness\":80}", null).get("value"));
            assertEquals(200, gateway.status("response", response));

            wait.until(ExpectedConditions.textMatches(By.id("command-result"), java.util.regex.Pattern.compile("answered in \\d+ ms")));
            By answered = By.cssSelector("#commands tr[data-task='" + payload.get("task_id").getAsString() + "']");
            wait.until(ExpectedConditions.textMatches(answered, java.util.regex.Pattern.compile("brightness.*\\d+\\.\\d ms")));

            assertEquals(200, gateway.status("event", ProtocolTest.event("demo-lamp-1", "state", "{\"on\":true}", null)));
            assertEquals(200, gateway.status("event", ProtocolTest.event(LONG_DEVICE, "urn:infai:ses:service:get-temperature",
                    "{\"temperature\":21.5,\"unit\":\"°C\",\"time\":\"2026-11-24T10:00:00Z\"}", null)));
            wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#events tbody tr"), 4));
            screenshot("control-page.png");
            atTwelveHundredPixelsNothingRunsIntoItsNeighbour();

            // the fault switches and the restart button act on the platform
            browser.findElement(By.id("fault-add")).click(); // the form's defaults: the next 1 event fails with 500
            wait.until(ExpectedConditions.textToBe(By.id("faults-pending"), "event: fail 500"));
            assertEquals(500, gateway.status("event", ProtocolTest.event("demo-lamp-1", "state", "{\"on\":true}", null)));
            wait.until(ExpectedConditions.textToBe(By.id("faults-pending"), "none"));
            wait.until(ExpectedConditions.textToBe(By.cssSelector("#faults-injected li[data-kind='fail']"), "fail: 1"));

            // the soak faults: shares set with the form's defaults; link faults offered only with the relay
            browser.findElement(By.id("share-set")).click();
            wait.until(ExpectedConditions.textToBe(By.id("faults-pending"), "event answers: 5 % dropped, 10 % delayed 500 ms"));
            assertEquals(0.05, platform.platform().faults().answerShares().get("event").drop());
            assertTrue(browser.findElement(By.id("seed-shown")).getText().endsWith(Long.toString(platform.faults().seed())));
            assertTrue(!browser.findElement(By.id("silence-open")).isEnabled() && browser.findElement(By.id("link-hint")).isDisplayed());

            browser.findElement(By.id("restart")).click();
            assertEquals(1001, gateway.awaitClosed());
            wait.until(ExpectedConditions.textToBe(By.id("stat-sessions"), "0"));
            wait.until(ExpectedConditions.presenceOfElementLocated(
                    By.cssSelector("#gateways tr[data-device='demo-lamp-1'][data-listening='false']")));
        }
    }

    /**
     * At 1,200 px (two columns) every card keeps its content inside (wide tables scroll within their card) and no
     * card overlaps another; leaves {@code control-page-1200.png}.
     */
    private void atTwelveHundredPixelsNothingRunsIntoItsNeighbour() throws Exception {
        Dimension before = browser.manage().window().getSize();
        browser.manage().window().setSize(new Dimension(1200, 1700)); // tall: the whole page in the screenshot
        try {
            wait.until(d -> ((Number) browser.executeScript("return window.innerWidth;")).intValue() <= 1200);
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> cards = (List<Map<String, Object>>) browser.executeScript(
                    "return [...document.querySelectorAll('.card')].map(c => { const r = c.getBoundingClientRect();"
                    + " return {id: c.id, left: r.left, right: r.right, top: r.top, bottom: r.bottom,"
                    + " scrollWidth: c.scrollWidth, clientWidth: c.clientWidth}; });");
            assertEquals(4, cards.size(), cards.toString());
            assertTrue(number(cards.get(1), "left") > number(cards.get(0), "right"), "two columns at 1,200 px: " + cards);
            for (Map<String, Object> card : cards) {
                assertTrue(number(card, "scrollWidth") <= number(card, "clientWidth"), "content overflows card " + card);
                for (Map<String, Object> other : cards) {
                    boolean apart = card == other || number(card, "right") <= number(other, "left")
                            || number(other, "right") <= number(card, "left") || number(card, "bottom") <= number(other, "top")
                            || number(other, "bottom") <= number(card, "top");
                    assertTrue(apart, card.get("id") + " overlaps " + other.get("id"));
                }
            }
            screenshot("control-page-1200.png");
        } finally {
            browser.manage().window().setSize(before);
        }
    }

    private static double number(Map<String, Object> map, String key) {
        return ((Number) map.get(key)).doubleValue();
    }

    private void screenshot(String name) throws Exception {
        Path file = Path.of("target", "browser-tests", name);
        Files.createDirectories(file.getParent());
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), file, StandardCopyOption.REPLACE_EXISTING);
    }
}
