package org.sepl.connector.transport.tyrus;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A connection's listener calls: in order, off Tyrus's thread for a stream, at once for a lone message, bounded. */
class ListenerCallsTest {

    private final ExecutorService readers = Executors.newFixedThreadPool(2);
    private final ListenerCalls calls = new ListenerCalls(readers);
    private final List<String> heard = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        readers.shutdownNow();
    }

    @Test
    void aStreamIsDeliveredInOrderOnAReaderThreadAndTheCloseComesLast() {
        String tyrusThread = Thread.currentThread().getName();
        List<String> threads = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            int n = i;
            calls.add(() -> {
                heard.add("m" + n);
                threads.add(Thread.currentThread().getName());
            }, false);
        }
        calls.addLast(() -> heard.add("closed"));
        await().atMost(Duration.ofSeconds(10)).until(() -> heard.size() == 10_001);
        List<String> expected = new ArrayList<>(IntStream.range(0, 10_000).mapToObj(i -> "m" + i).toList());
        expected.add("closed");
        assertEquals(expected, heard);
        assertFalse(threads.contains(tyrusThread), "made on a reader thread, not Tyrus's");
    }

    @Test
    void aLoneMessageIsDeliveredAtOnceOnTheCallersThread() {
        calls.add(() -> heard.add(Thread.currentThread().getName()), true);
        assertEquals(List.of(Thread.currentThread().getName()), heard);
    }

    @Test
    void aLoneMessageBehindWaitingCallsWaitsItsTurn() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        calls.add(() -> {
            waitFor(release);
            heard.add("first");
        }, false);
        calls.add(() -> heard.add("second"), true); // came alone, but a call is still being made
        assertTrue(heard.isEmpty());
        release.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> heard.size() == 2);
        assertEquals(List.of("first", "second"), heard);
    }

    @Test
    void tyrusThreadWaitsWhenTheBoundIsReachedAndGoesOnWhenTheListenerCatchesUp() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        calls.add(() -> waitFor(release), false); // a listener that is slow for now
        Thread tyrus = new Thread(() -> {
            for (int i = 0; i < ListenerCalls.MAX_WAITING + 10; i++) {
                calls.add(() -> heard.add("m"), false);
            }
        });
        tyrus.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> tyrus.getState() == Thread.State.WAITING);
        assertTrue(heard.isEmpty(), "nothing lost, nothing queued beyond the bound: Tyrus's thread waits");
        release.countDown();
        tyrus.join(TimeUnit.SECONDS.toMillis(10));
        await().atMost(Duration.ofSeconds(10)).until(() -> heard.size() == ListenerCalls.MAX_WAITING + 10);
    }

    private static void waitFor(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
