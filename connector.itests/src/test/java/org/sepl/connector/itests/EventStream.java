package org.sepl.connector.itests;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import org.sepl.connector.api.ConnectorClient;
import org.sepl.connector.api.Delivery;

/**
 * Sends events 0, 1, 2, ... of one device's service, a millisecond apart, until stopped, keeping each delivery: a
 * steady stream, not a burst, so that what a test does (a swap) happens in the middle of it.
 */
final class EventStream {

    final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    private final ConnectorClient client;
    private final String device;
    private final String service;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    EventStream(ConnectorClient client, String device, String service) {
        this.client = client;
        this.device = device;
        this.service = service;
        this.thread = new Thread(this::run, "itest-event-stream");
    }

    private void run() {
        int i = 0;
        while (running.get()) {
            deliveries.add(client.sendEvent(device, service, Integer.toString(i++), null));
            try {
                Thread.sleep(1); // the pace of the stream, not a wait for anything
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    void start() {
        thread.start();
    }

    void stop() throws InterruptedException {
        running.set(false);
        thread.join();
    }
}
