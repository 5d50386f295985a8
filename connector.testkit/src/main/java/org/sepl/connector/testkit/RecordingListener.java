package org.sepl.connector.testkit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.sepl.connector.api.transport.WebSocketTransport;

/** Records what a transport reports of one connection; checks that it never reports after the close. */
final class RecordingListener implements WebSocketTransport.Listener {

    final Queue<String> texts = new ConcurrentLinkedQueue<>();
    final CompletableFuture<String> closed = new CompletableFuture<>();
    final CompletableFuture<Void> pong = new CompletableFuture<>();
    final AtomicInteger closes = new AtomicInteger();
    final AtomicInteger callsAfterClose = new AtomicInteger();
    private final Semaphore arrived = new Semaphore(0);

    @Override
    public void onText(String text) {
        if (closed.isDone()) {
            callsAfterClose.incrementAndGet();
        }
        texts.add(text);
        arrived.release();
    }

    @Override
    public void onPong() {
        pong.complete(null);
    }

    @Override
    public void onClosed(int code, String reason) {
        closes.incrementAndGet();
        closed.complete(code + " " + reason);
    }

    void awaitTexts(int n) throws InterruptedException {
        assertTrue(arrived.tryAcquire(n, 10, TimeUnit.SECONDS), "timed out: " + texts.size() + " of " + n);
    }

    String awaitClosed() throws Exception {
        return closed.get(10, TimeUnit.SECONDS);
    }
}
