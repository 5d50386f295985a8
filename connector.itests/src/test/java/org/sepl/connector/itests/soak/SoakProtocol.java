package org.sepl.connector.itests.soak;

import java.util.Locale;

/**
 * What the soak test and its gateway process say to each other: the gateway prints one fact per line on stdout
 * ({@link Report}: the kind, a space, its arguments), the test writes orders on the gateway's stdin ({@link Order}).
 * A line the gateway printed was flushed before the next one: a line the test read happened, even if the process was
 * killed a moment later.
 */
final class SoakProtocol {

    private SoakProtocol() {
    }

    /** A fact the gateway reports, with the arguments its line carries. */
    enum Report {
        /** {@code ready GATEWAY_ID}: connected and synchronised. */
        READY,
        /** {@code link-lost REASON}: the connection was lost (or closed). */
        LINK_LOST,
        /** {@code stored EVENT_ID}: the event is in the SQLite outbox ({@code sendEvent(...).stored()} completed). */
        STORED,
        /** {@code handled TASK_ID}: the command handler got a delivery of the task. */
        HANDLED,
        /** {@code ran TASK_ID}: the device action of the task ran (once per task id, duplicates excepted). */
        RAN,
        /** {@code answer-stored TASK_ID}: the answer to one delivery is in the outbox. */
        ANSWER_STORED,
        /** {@code swapped sqlite|memory}: the device manager in use changed. */
        SWAPPED,
        /** {@code churn OP OUTCOME}: a device add, update or delete and how it ended ({@code ok}, a status, a reason). */
        CHURN,
        /**
         * {@code sample UPTIME_MS HEAP_AFTER_GC_BYTES THREADS OPEN_FDS REQUESTS_IN_FLIGHT OUTBOX_DEPTH}: the process's
         * resources.
         */
        SAMPLE,
        /**
         * {@code store-hash HASH}: after {@code finish}, the gateway hash of the SQLite store's devices, every 200 ms
         * until {@code stop} (the test waits for the platform's hash to be the same).
         */
        STORE_HASH,
        /** {@code ledger balanced|unbalanced TEXT}: the loss ledger at a quiet moment before a normal stop. */
        LEDGER,
        /** {@code stopped}: the client and its stores are closed; the process ends with status 0. */
        STOPPED;

        /** The word that starts the line, e.g. {@code answer-stored}. */
        String word() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** @return the kind whose word starts {@code line}, or null */
        static Report of(String line) {
            int space = line.indexOf(' ');
            String word = space < 0 ? line : line.substring(0, space);
            for (Report r : values()) {
                if (r.word().equals(word)) {
                    return r;
                }
            }
            return null;
        }

        /** @return what follows the word and its space, or "" */
        static String arguments(String line) {
            int space = line.indexOf(' ');
            return space < 0 ? "" : line.substring(space + 1);
        }
    }

    /** An order the test gives the gateway, one per line on its stdin. */
    enum Order {
        /** Swap the device manager: SQLite to a fresh in-memory copy, or back to SQLite (reopened). */
        SWAP,
        /** Stop producing, check the ledger at a quiet moment, close everything, exit 0 (a normal stop). */
        STOP,
        /**
         * The soak's end: stop producing, make SQLite the device manager again, wait until the outbox is empty, then
         * report the store's hash until {@link #STOP}.
         */
        FINISH;

        String word() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** @throws IllegalArgumentException naming the line and the orders there are */
        static Order of(String line) {
            for (Order o : values()) {
                if (o.word().equals(line.strip())) {
                    return o;
                }
            }
            throw new IllegalArgumentException("unknown order \"" + line + "\": expected one of swap, stop, finish");
        }
    }
}
