package org.sepl.connector.impl.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sepl.connector.api.Command;
import org.sepl.connector.api.CommandResult;

class CommandDispatcherTest {

    private final ExecutorService threads = Executors.newFixedThreadPool(4);
    private final CommandRouter router = new CommandRouter();
    private final Map<String, String> errors = new ConcurrentHashMap<>();
    private final List<String> results = Collections.synchronizedList(new ArrayList<>());
    private final TestClocks clocks = new TestClocks(java.time.Instant.now());
    private final CommandDispatcher.Answers answers = new CommandDispatcher.Answers() {
        @Override
        public void result(Command command, CommandResult result) {
            results.add(command.taskId() + "=" + result.data());
        }

        @Override
        public void error(Command command, String why) {
            errors.put(command.taskId(), why);
        }
    };

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    private CommandDispatcher dispatcher(Duration maxAge, Duration unclaimed) {
        return new CommandDispatcher(router, threads, answers, 1000, maxAge, unclaimed, clocks.wall(), System::nanoTime);
    }

    private static Command command(String task, String device, Object time) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("task_id", task);
        f.put("device_url", device);
        f.put("service_url", "set");
        f.put("protocol_parts", null);
        if (time != null) {
            f.put("time", time);
        }
        return new Command(f);
    }

    private static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
    }

    @Test
    void commandsForOneDeviceRunInArrivalOrderAndDevicesRunInParallel() throws Exception {
        Map<String, List<Integer>> seen = new ConcurrentHashMap<>();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxParallel = new AtomicInteger();
        Map<String, AtomicInteger> perDevice = new ConcurrentHashMap<>();
        router.add(c -> {
            int now = running.incrementAndGet();
            maxParallel.accumulateAndGet(now, Math::max);
            int same = perDevice.computeIfAbsent(c.deviceId(), k -> new AtomicInteger()).incrementAndGet();
            try {
                if (same != 1) {
                    throw new AssertionError("two commands of " + c.deviceId() + " ran at once");
                }
                Thread.sleep(1);
                seen.computeIfAbsent(c.deviceId(), k -> Collections.synchronizedList(new ArrayList<>()))
                        .add(Integer.parseInt(c.taskId().substring(c.taskId().lastIndexOf('-') + 1)));
                return CommandResult.of("ok");
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            } finally {
                perDevice.get(c.deviceId()).decrementAndGet();
                running.decrementAndGet();
            }
        }, Map.of());
        CommandDispatcher d = dispatcher(Duration.ofSeconds(30), Duration.ofSeconds(30));
        for (int i = 0; i < 100; i++) {
            for (String device : List.of("lamp-a", "lamp-b", "lamp-c")) {
                d.dispatch(command(device + "-" + i, device, null));
            }
        }
        await("all handled", () -> results.size() == 300);
        for (String device : List.of("lamp-a", "lamp-b", "lamp-c")) {
            List<Integer> order = seen.get(device);
            for (int i = 0; i < 100; i++) {
                assertEquals(i, order.get(i), device + " ran out of order: " + order);
            }
        }
        assertTrue(maxParallel.get() > 1, "different devices ran in parallel");
        assertTrue(errors.isEmpty(), errors.toString());
    }

    @Test
    void aCommandOlderThanTheMaximumAgeIsNotExecutedButAnsweredWithAnError() throws Exception {
        AtomicInteger executed = new AtomicInteger();
        router.add(c -> {
            executed.incrementAndGet();
            return CommandResult.of("ok");
        }, Map.of());
        CommandDispatcher d = dispatcher(Duration.ofSeconds(30), Duration.ofSeconds(30));
        long nowSeconds = clocks.wall().millis() / 1000;
        d.dispatch(command("old", "lamp", String.valueOf(nowSeconds - 31)));
        d.dispatch(command("old-millis", "lamp", (nowSeconds - 60) * 1000));
        d.dispatch(command("fresh", "lamp", String.valueOf(nowSeconds - 2)));
        d.dispatch(command("no-time", "lamp", null));
        d.dispatch(command("odd-time", "lamp", "yesterday"));
        await("answers", () -> results.size() == 3);
        assertEquals(0, results.stream().filter(r -> r.startsWith("old")).count());
        assertTrue(errors.get("old").contains("older than the maximum command age"), errors.toString());
        assertTrue(errors.containsKey("old-millis"));
        assertEquals(3, executed.get());
    }

    /** How long a command waits is measured on the monotonic clock: setting the wall clock changes nothing. */
    @Test
    void settingTheWallClockForwardOrBackChangesNoWaitingTime() throws Exception {
        CommandDispatcher d = new CommandDispatcher(router, threads, answers, 1000, Duration.ofSeconds(30),
                Duration.ofSeconds(1), clocks.wall(), clocks::nanoTime);
        d.dispatch(command("unclaimed", "lamp", null)); // no handler: it waits for receive()
        await("waiting for receive()", () -> d.unclaimedCount() == 1);
        clocks.setWall(Duration.ofDays(365));
        d.expireUnclaimed();
        clocks.setWall(Duration.ofDays(-730));
        d.expireUnclaimed();
        assertEquals(1, d.unclaimedCount(), "still waiting: no time passed");
        clocks.pass(Duration.ofMillis(1001));
        d.expireUnclaimed();
        assertEquals(0, d.unclaimedCount());
        assertTrue(errors.get("unclaimed").contains("within 1000 ms"), errors.toString());
    }

    @Test
    void aCommandThatWaitedTooLongForItsHandlerIsNotExecuted() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        router.add(c -> {
            if (c.taskId().equals("first")) {
                started.countDown();
                release.await();
            }
            return CommandResult.of("ok");
        }, Map.of());
        CommandDispatcher d = dispatcher(Duration.ofMillis(100), Duration.ofSeconds(30));
        d.dispatch(command("first", "lamp", null));
        assertTrue(started.await(10, TimeUnit.SECONDS));
        d.dispatch(command("queued-behind", "lamp", null)); // waits behind "first", same device
        long start = System.nanoTime();
        await("the second command is over age", () -> System.nanoTime() - start > TimeUnit.MILLISECONDS.toNanos(200));
        release.countDown();
        await("answers", () -> results.size() + errors.size() == 2);
        assertEquals(List.of("first=ok"), results);
        assertTrue(errors.get("queued-behind").contains("waited"), errors.toString());
    }

    @Test
    void anUnclaimedCommandGoesToReceiveAndIsAnsweredWithAnErrorIfNobodyTakesIt() throws Exception {
        CommandDispatcher d = dispatcher(Duration.ofSeconds(30), Duration.ofMillis(50));
        d.dispatch(command("taken", "lamp", null));
        assertEquals("taken", d.receive(Duration.ofSeconds(5)).orElseThrow().taskId());
        d.dispatch(command("left", "lamp", null));
        await("queued", () -> d.unclaimedCount() == 1);
        long start = System.nanoTime();
        while (!errors.containsKey("left")) {
            d.expireUnclaimed();
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10), "not expired");
            Thread.sleep(5);
        }
        assertTrue(errors.get("left").contains("nobody called receive()"), errors.toString());
        assertEquals(0, d.unclaimedCount());
        assertTrue(d.receive(Duration.ofMillis(1)).isEmpty());
    }
}
