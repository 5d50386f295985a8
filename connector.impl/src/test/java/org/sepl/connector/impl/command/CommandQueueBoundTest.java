package org.sepl.connector.impl.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sepl.connector.api.Command;
import org.sepl.connector.api.CommandResult;
import org.sepl.connector.impl.Await;

/** Commands waiting for handlers, and for receive(), are bounded by commandQueueSize; beyond, they are answered. */
class CommandQueueBoundTest {

    private static final int CAPACITY = 5;
    private final ExecutorService threads = Executors.newFixedThreadPool(2);
    private final CommandRouter router = new CommandRouter();
    private final Map<String, String> errors = new ConcurrentHashMap<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private final CommandDispatcher.Answers answers = new CommandDispatcher.Answers() {
        @Override
        public void result(Command command, CommandResult result) {
        }

        @Override
        public void error(Command command, String why) {
            errors.put(command.taskId(), why);
        }
    };

    @AfterEach
    void stop() {
        release.countDown();
        threads.shutdownNow();
    }

    private static Command command(String task, String device) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("task_id", task);
        f.put("device_url", device);
        f.put("service_url", "set");
        f.put("protocol_parts", null);
        return new Command(f);
    }

    @Test
    void commandsBeyondTheQueueForHandlersAreAnsweredWithAnError() {
        router.add(c -> {
            try {
                release.await(30, TimeUnit.SECONDS); // handlers that hang
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return CommandResult.of("ok");
        }, Map.of());
        CommandDispatcher d = new CommandDispatcher(router, threads, answers, CAPACITY, Duration.ofMinutes(1),
                Duration.ofMinutes(1), Clock.systemUTC(), System::nanoTime);
        for (int i = 0; i < 50; i++) {
            d.dispatch(command("t" + i, "device-" + i)); // fifty devices: as many lanes as commands
        }
        assertEquals(50 - CAPACITY, errors.size(), errors.toString());
        assertTrue(errors.get("t49").contains("command queue full (5 commands waiting for handlers)"), errors.toString());
    }

    @Test
    void theReceiveQueueKeepsTheNewestAndAnswersTheOldest() throws Exception {
        CommandDispatcher d = new CommandDispatcher(router, threads, answers, CAPACITY, Duration.ofMinutes(1),
                Duration.ofMinutes(1), Clock.systemUTC(), System::nanoTime);
        // no handler: every command waits for receive()
        for (int i = 0; i < 8; i++) {
            d.dispatch(command("u" + i, "lamp"));
            int handed = i + 1;
            Await.until("command " + i + " waits for receive()", () -> d.unclaimedCount() + errors.size() == handed);
        }
        assertEquals(CAPACITY, d.unclaimedCount());
        assertTrue(errors.get("u0").contains("receive() queue is full (5)"), errors.toString());
        assertEquals("u3", d.receive(Duration.ofSeconds(1)).orElseThrow().taskId());
    }
}
