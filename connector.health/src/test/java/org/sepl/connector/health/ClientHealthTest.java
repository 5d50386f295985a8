package org.sepl.connector.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.StreamSupport;

import org.apache.felix.hc.api.Result;
import org.junit.jupiter.api.Test;
import org.sepl.connector.api.ClientStatus;
import org.sepl.connector.api.ConnectionCounts;
import org.sepl.connector.api.ConnectionState;
import org.sepl.connector.api.DeliveryLedger;
import org.sepl.connector.api.RoundTrips;
import org.sepl.connector.api.outbox.OutboxFlow;
import org.sepl.connector.api.outbox.OutboxStatus;
import org.sepl.connector.testkit.MovableClock;

class ClientHealthTest {

    private static final Instant T0 = Instant.parse("2026-12-05T04:00:00Z");
    private static final ClientHealth.Settings SETTINGS = new ClientHealth.Settings(Duration.ofSeconds(60),
            Duration.ofMinutes(10), Duration.ofMinutes(15));

    private final MovableClock clock = MovableClock.at(T0);
    private final AtomicReference<ClientStatus> status = new AtomicReference<>(status(ConnectionState.READY, T0, 1,
            OutboxFlow.IDLE, 0));

    @Test
    void aReadyClientWithAnOutboxThatDoesNotFillIsOk() {
        Result r = health().execute();
        assertEquals(Result.Status.OK, r.getStatus(), text(r));
        assertTrue(text(r).contains("connected and synchronised as gateway gw-1"), text(r));
    }

    @Test
    void notReadyIsOkWithinTheGraceAndCriticalAfterIt() {
        ClientHealth health = health();
        health.execute();
        clock.advance(Duration.ofSeconds(5));
        status.set(status(ConnectionState.DISCONNECTED, clock.instant(), 1, OutboxFlow.IDLE, 0));
        assertEquals(Result.Status.OK, health.execute().getStatus(), "a quick reconnect is no alarm");
        clock.advance(Duration.ofSeconds(30));
        // it keeps trying: each attempt enters a state anew; the grace counts from when it left READY
        status.set(status(ConnectionState.CONNECTING, clock.instant(), 1, OutboxFlow.IDLE, 0));
        assertEquals(Result.Status.OK, health.execute().getStatus());
        clock.advance(Duration.ofSeconds(30));
        status.set(status(ConnectionState.DISCONNECTED, clock.instant(), 1, OutboxFlow.IDLE, 0));
        Result r = health.execute();
        assertEquals(Result.Status.CRITICAL, r.getStatus(), text(r));
        assertTrue(text(r).contains("DISCONNECTED") && text(r).contains("last error: refused by the platform"),
                text(r));

        clock.advance(Duration.ofSeconds(1));
        status.set(status(ConnectionState.READY, clock.instant(), 2, OutboxFlow.IDLE, 0));
        assertEquals(Result.Status.OK, health.execute().getStatus(), "ready again");
    }

    @Test
    void aClientThatWasReadyBetweenTwoChecksStartsItsGraceAgain() {
        status.set(status(ConnectionState.DISCONNECTED, T0, 1, OutboxFlow.IDLE, 0));
        ClientHealth health = health();
        clock.advance(Duration.ofSeconds(50));
        assertEquals(Result.Status.OK, health.execute().getStatus());
        clock.advance(Duration.ofSeconds(50));
        // it connected (established 2) and lost the link again 5 s ago
        status.set(status(ConnectionState.DISCONNECTED, clock.instant().minusSeconds(5), 2, OutboxFlow.IDLE, 0));
        assertEquals(Result.Status.OK, health.execute().getStatus());
    }

    @Test
    void aClosedClientIsCritical() {
        status.set(status(ConnectionState.CLOSED, T0, 1, OutboxFlow.IDLE, 0));
        assertEquals(Result.Status.CRITICAL, health().execute().getStatus());
    }

    @Test
    void anOutboxThatWillSoonBeFullWarns() {
        ClientHealth health = health();
        status.set(status(ConnectionState.READY, T0, 1, new OutboxFlow(50, 10, Duration.ofMinutes(30)), 0));
        assertEquals(Result.Status.OK, health.execute().getStatus(), "full in 30 min: not yet");
        status.set(status(ConnectionState.READY, T0, 1, new OutboxFlow(50, 10, Duration.ofMinutes(8)), 0));
        Result r = health.execute();
        assertEquals(Result.Status.WARN, r.getStatus());
        assertTrue(text(r).contains("full in about 8 min"), text(r));
        status.set(status(ConnectionState.READY, T0, 1, new OutboxFlow(50, 10, Duration.ZERO), 0));
        assertTrue(text(health.execute()).contains("Outbox is full"));
    }

    @Test
    void aLossWarnsForTheWarningTimeFromTheCheckThatSawIt() {
        status.set(status(ConnectionState.READY, T0, 1, OutboxFlow.IDLE, 4));
        ClientHealth health = health();
        assertEquals(Result.Status.OK, health.execute().getStatus(), "losses before the first look are old news");
        clock.advance(Duration.ofMinutes(1));
        status.set(status(ConnectionState.READY, T0, 1, OutboxFlow.IDLE, 6));
        Result r = health.execute();
        assertEquals(Result.Status.WARN, r.getStatus());
        assertTrue(text(r).contains("dropped 6"), text(r));
        clock.advance(Duration.ofMinutes(14));
        assertEquals(Result.Status.WARN, health.execute().getStatus());
        clock.advance(Duration.ofMinutes(1));
        assertEquals(Result.Status.OK, health.execute().getStatus(), "15 min later");
    }

    @Test
    void badSettingsNameTheProperty() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClientHealthChecks.settings(config(-1)));
        assertTrue(e.getMessage().contains("'graceSeconds' = -1"), e.getMessage());
        assertEquals(Duration.ofSeconds(30), ClientHealthChecks.settings(config(30)).grace());
    }

    private ClientHealth health() {
        return new ClientHealth("org.sepl.connector.client", status::get, SETTINGS, clock);
    }

    private static ClientStatus status(ConnectionState state, Instant since, long established, OutboxFlow flow,
            long dropped) {
        return new ClientStatus(state, "gw-1", 0, 0, state == ConnectionState.READY ? null : "refused by the platform",
                since, new OutboxStatus(5, 500, Duration.ofSeconds(3), 20, 15, 0, dropped, 0, 0),
                new DeliveryLedger(20 + dropped, Map.of(), 20 + dropped, 0, 15, 0, dropped, 0, 0, 0, 5), flow,
                new ConnectionCounts(established, established - 1, 0), RoundTrips.NONE);
    }

    private static String text(Result r) {
        return String.join("\n", StreamSupport.stream(r.spliterator(), false).map(Object::toString).toList());
    }

    private static ClientHealthChecks.Config config(long graceSeconds) {
        return new ClientHealthChecks.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return ClientHealthChecks.Config.class;
            }

            @Override
            public long graceSeconds() {
                return graceSeconds;
            }

            @Override
            public long outboxFullWarningMinutes() {
                return 10;
            }

            @Override
            public long lossWarningMinutes() {
                return 15;
            }

            @Override
            public String[] tags() {
                return new String[] { "sepl-connector" };
            }
        };
    }
}
