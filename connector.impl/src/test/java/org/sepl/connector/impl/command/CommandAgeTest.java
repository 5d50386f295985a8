package org.sepl.connector.impl.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sepl.connector.impl.LogCapture;

/**
 * A command's age with the gateway's clock right, ahead by minutes, behind by days, and set while the client runs;
 * a backlog of stale commands is refused in each case. Both clocks are the test's: nothing waits.
 */
class CommandAgeTest {

    private static final Duration MAX_AGE = Duration.ofSeconds(30);
    /** The platform's clock: right. */
    private long platformMillis = Instant.parse("2026-12-05T03:00:00Z").toEpochMilli();
    private final LogCapture log = new LogCapture(CommandAge.class);

    @AfterEach
    void closeLog() {
        log.close();
    }

    /** A gateway whose clock is {@code error} off the platform's. */
    private TestClocks gatewayClockOff(Duration error) {
        return new TestClocks(Instant.ofEpochMilli(platformMillis).plus(error));
    }

    private void pass(TestClocks gateway, Duration d) {
        gateway.pass(d);
        platformMillis += d.toMillis();
    }

    /** The platform's {@code time} of a command sent {@code ago}: whole seconds, as it sends them. */
    private long sent(Duration ago) {
        return (platformMillis - ago.toMillis()) / 1000 * 1000;
    }

    @Test
    void withTheGatewaysClockRightAFreshCommandRunsAndAStaleOneIsRefused() {
        TestClocks gateway = gatewayClockOff(Duration.ZERO);
        CommandAge age = new CommandAge(MAX_AGE, gateway.wall(), gateway::nanoTime);
        assertNull(age.staleness(sent(Duration.ofSeconds(2))));
        String why = age.staleness(sent(Duration.ofSeconds(31)));
        assertTrue(why.contains("by the gateway's clock") && why.contains("older than the maximum command age"), why);
        assertEquals(Duration.ZERO, age.clockError());
    }

    @Test
    void withTheGatewaysClockTenMinutesFastTheFirstCommandIsRefusedAndTheNextOnesRun() {
        TestClocks gateway = gatewayClockOff(Duration.ofMinutes(10));
        CommandAge age = new CommandAge(MAX_AGE, gateway.wall(), gateway::nanoTime);
        List<String> verdicts = new ArrayList<>();
        for (int i = 0; i < 5; i++) { // someone at the platform's page, a command every 3 s
            verdicts.add(age.staleness(sent(Duration.ZERO)));
            pass(gateway, Duration.ofSeconds(3));
        }
        assertTrue(verdicts.get(0).contains("600 s ago by the gateway's clock"), verdicts.get(0));
        assertEquals(java.util.Collections.nCopies(4, null), verdicts.subList(1, 5));
        assertTrue(Math.abs(age.clockError().minusMinutes(10).toMillis()) <= CommandAge.TOLERANCE_MILLIS,
                age.clockError().toString());
        assertTrue(log.has(Level.WARNING, "The gateway's clock is 600 s ahead of the platform's", "NTP"),
                log.lines().toString());
        // a command the platform then holds back is still refused, now by the platform's clock
        String why = age.staleness(sent(Duration.ofSeconds(45)));
        assertTrue(why.contains("45 s ago by the platform's clock (the gateway's is 600 s ahead of the platform's)"), why);
    }

    @Test
    void commandsOfOneBurstDoNotVouchForAClockErrorTwoThatComeAloneDo() {
        TestClocks gateway = gatewayClockOff(Duration.ofMinutes(10));
        CommandAge age = new CommandAge(MAX_AGE, gateway.wall(), gateway::nanoTime);
        for (int i = 0; i < 5; i++) { // sent together: the same delay, but no time between them
            assertTrue(age.staleness(sent(Duration.ZERO)) != null);
            pass(gateway, Duration.ofMillis(100));
        }
        pass(gateway, Duration.ofSeconds(3));
        assertTrue(age.staleness(sent(Duration.ZERO)) != null, "alone, but the first witness");
        pass(gateway, Duration.ofSeconds(3));
        assertNull(age.staleness(sent(Duration.ZERO)), "alone, and late by just as much: the clock is off");
    }

    @Test
    void withTheGatewaysClockRightABacklogDeliveredAtOnceIsRefusedWhole() {
        TestClocks gateway = gatewayClockOff(Duration.ZERO);
        CommandAge age = new CommandAge(MAX_AGE, gateway.wall(), gateway::nanoTime);
        assertNull(age.staleness(sent(Duration.ZERO)));
        pass(gateway, Duration.ofMinutes(5)); // an outage; the platform held the commands sent meanwhile
        for (int s = 300; s > 30; s -= 10) { // delivered within a second, oldest first
            assertTrue(age.staleness(sent(Duration.ofSeconds(s))) != null, s + " s old");
            pass(gateway, Duration.ofMillis(30));
        }
        pass(gateway, Duration.ofSeconds(20));
        for (int s = 100; s > 30; s -= 10) { // and more of them, 20 s later: still no clock error
            assertTrue(age.staleness(sent(Duration.ofSeconds(s))) != null, s + " s old");
        }
        assertNull(age.staleness(sent(Duration.ofSeconds(1))));
        assertEquals(Duration.ZERO, age.clockError());
    }

    @Test
    void withTheGatewaysClockDaysBehindCommandsRunAndStaleOnesAreRefusedByThePlatformsClock() {
        TestClocks gateway = gatewayClockOff(Duration.ofDays(-3)); // a Raspberry Pi without a clock, booted in the past
        CommandAge age = new CommandAge(MAX_AGE, gateway.wall(), gateway::nanoTime);
        assertNull(age.staleness(sent(Duration.ZERO)), "from the gateway's future: fresh");
        assertTrue(log.has(Level.WARNING, "259200 s behind the platform's"), log.lines().toString());
        pass(gateway, Duration.ofSeconds(10));
        assertNull(age.staleness(sent(Duration.ofSeconds(1))));
        String why = age.staleness(sent(Duration.ofSeconds(60)));
        assertTrue(why != null && why.contains("60 s ago by the platform's clock"), why);
    }

    @Test
    void whenTheGatewaysClockIsSetWhatWasLearntIsDroppedAndItIsTrustedAgain() {
        TestClocks gateway = gatewayClockOff(Duration.ofDays(-3));
        CommandAge age = new CommandAge(MAX_AGE, gateway.wall(), gateway::nanoTime);
        assertNull(age.staleness(sent(Duration.ZERO)));
        pass(gateway, Duration.ofSeconds(5));
        gateway.setWall(Duration.ofDays(3)); // NTP synchronised
        assertNull(age.staleness(sent(Duration.ofSeconds(1))));
        assertEquals(Duration.ZERO, age.clockError());
        assertTrue(log.has(Level.INFO, "The gateway's clock was set"), log.lines().toString());
        String why = age.staleness(sent(Duration.ofSeconds(40)));
        assertTrue(why != null && why.contains("by the gateway's clock"), why);
    }

    /**
     * The limit of the rule, as documented: a platform that holds every command back by the same amount, and delivers
     * them at the pace they were sent, cannot be told from a gateway clock ahead by that amount.
     */
    @Test
    void aPlatformLateByTheSameAmountForEveryCommandLooksLikeAGatewayClockAhead() {
        TestClocks gateway = gatewayClockOff(Duration.ZERO);
        CommandAge age = new CommandAge(MAX_AGE, gateway.wall(), gateway::nanoTime);
        assertTrue(age.staleness(sent(Duration.ofMinutes(2))) != null);
        pass(gateway, Duration.ofSeconds(5));
        assertNull(age.staleness(sent(Duration.ofMinutes(2))));
        assertTrue(log.has(Level.WARNING, "120 s ahead of the platform's"), log.lines().toString());
    }
}
