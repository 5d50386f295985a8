package org.sepl.connector.impl.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Lanes over one shared pool: each serial and in order; shutting one down leaves the others and the pool. */
class SerialExecutorTest {

    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void end() {
        pool.shutdownNow();
    }

    @Test
    void eachLaneRunsItsTasksOneAtATimeInOrder() throws Exception {
        List<SerialExecutor> lanes = new ArrayList<>();
        List<List<Integer>> seen = new ArrayList<>();
        AtomicInteger overlaps = new AtomicInteger();
        for (int l = 0; l < 8; l++) {
            lanes.add(new SerialExecutor(pool, "lane " + l));
            seen.add(Collections.synchronizedList(new ArrayList<>()));
        }
        List<AtomicBoolean> busy = new ArrayList<>();
        lanes.forEach(x -> busy.add(new AtomicBoolean()));
        for (int i = 0; i < 500; i++) {
            for (int l = 0; l < lanes.size(); l++) {
                int lane = l;
                int n = i;
                lanes.get(l).execute(() -> {
                    if (!busy.get(lane).compareAndSet(false, true)) {
                        overlaps.incrementAndGet();
                    }
                    seen.get(lane).add(n);
                    busy.get(lane).set(false);
                });
            }
        }
        for (SerialExecutor lane : lanes) {
            lane.shutdown();
            assertTrue(lane.awaitTermination(10, TimeUnit.SECONDS), lane + " drained");
        }
        assertEquals(0, overlaps.get(), "no two tasks of one lane at once");
        for (List<Integer> s : seen) {
            assertEquals(500, s.size());
            for (int i = 0; i < 500; i++) {
                assertEquals(i, s.get(i), "submission order");
            }
        }
    }

    @Test
    void shutdownNowInterruptsOnlyItsOwnTaskAndLeavesThePoolThreadClean() throws Exception {
        SerialExecutor a = new SerialExecutor(pool, "a");
        SerialExecutor b = new SerialExecutor(pool, "b");
        CountDownLatch aRunning = new CountDownLatch(1);
        CountDownLatch aInterrupted = new CountDownLatch(1);
        a.execute(() -> {
            aRunning.countDown();
            try {
                Thread.sleep(60_000); // ends by the interrupt of shutdownNow
            } catch (InterruptedException e) {
                aInterrupted.countDown();
            }
        });
        a.execute(() -> { });
        assertTrue(aRunning.await(10, TimeUnit.SECONDS));
        CountDownLatch bDone = new CountDownLatch(1);
        AtomicBoolean bSawInterrupt = new AtomicBoolean();
        b.execute(() -> {
            bSawInterrupt.set(Thread.currentThread().isInterrupted());
            bDone.countDown();
        });
        assertEquals(1, a.shutdownNow().size(), "the queued task is handed back");
        assertTrue(aInterrupted.await(10, TimeUnit.SECONDS), "a's running task interrupted");
        assertTrue(a.awaitTermination(10, TimeUnit.SECONDS));
        assertThrows(RejectedExecutionException.class, () -> a.execute(() -> { }));
        assertTrue(bDone.await(10, TimeUnit.SECONDS), "b still runs");
        assertFalse(bSawInterrupt.get());

        // the pool thread that ran a's task goes on without the interrupt flag
        CountDownLatch later = new CountDownLatch(20);
        AtomicInteger interrupted = new AtomicInteger();
        for (int i = 0; i < 20; i++) {
            b.execute(() -> {
                if (Thread.currentThread().isInterrupted()) {
                    interrupted.incrementAndGet();
                }
                later.countDown();
            });
        }
        assertTrue(later.await(10, TimeUnit.SECONDS));
        assertEquals(0, interrupted.get());
        assertFalse(pool.isShutdown());
    }
}
