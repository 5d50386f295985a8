package org.sepl.connector.impl.executor;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Names the connector's threads ({@code NAME #1}, {@code NAME #2}, …) and makes them daemons: they never keep a JVM up. */
public final class DaemonThreads {

    private DaemonThreads() {
    }

    public static ThreadFactory named(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + " #" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
