package org.sepl.connector.emulator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import org.sepl.connector.emulator.PlatformEmulator.Command;
import org.sepl.connector.emulator.PlatformEmulator.CommandResponse;
import org.sepl.connector.emulator.PlatformEmulator.Event;

/**
 * What the platform received and sent, for inspection: events (with a sequence number and arrival time),
 * command responses and commands with their answers. Each log keeps the most recent {@code max} entries
 * ({@code Builder.eventHistory}). Guarded by this object's lock; an event costs one short append under it.
 */
final class History {

    /** An event with its sequence number (0, 1, ... since start, across resets) and arrival time. */
    record ReceivedEvent(long sequence, long receivedMillis, Event event) {
    }

    /** Events from sequence {@code next - events.size()} on; {@code next} is the sequence of the next event. */
    record EventsSince(long next, List<ReceivedEvent> events) {
    }

    /** A command in the log: when it left and, once answered, the answer and how long it took. */
    static final class SentCommand {
        final String taskId;
        final String deviceUri;
        final String serviceUri;
        final Object data;
        final Object metadata;
        final Instant sent = Instant.now();
        final long sentNanos = System.nanoTime();
        volatile CommandResponse answer;
        volatile long latencyNanos;

        SentCommand(String taskId, String deviceUri, String serviceUri, Object data, Object metadata) {
            this.taskId = taskId;
            this.deviceUri = deviceUri;
            this.serviceUri = serviceUri;
            this.data = data;
            this.metadata = metadata;
        }

        /** Called on the thread that read the answer, so the latency is the wire's. */
        void answered(CommandResponse response) {
            if (response != null) {
                latencyNanos = System.nanoTime() - sentNanos;
                answer = response;
            }
        }

        Command view() {
            CommandResponse a = answer;
            return new Command(taskId, deviceUri, serviceUri, data, metadata, sent, a,
                    a == null ? null : Duration.ofNanos(latencyNanos));
        }
    }

    private final int max;
    private final ArrayDeque<ReceivedEvent> events = new ArrayDeque<>();
    private long eventsReceived; // sequence number of the next event; never reset, so that readers can follow
    private final ArrayDeque<CommandResponse> responses = new ArrayDeque<>();
    private final ArrayDeque<SentCommand> commands = new ArrayDeque<>();

    History(int max) {
        this.max = max;
    }

    synchronized void event(Event e) {
        record(events, new ReceivedEvent(eventsReceived++, System.currentTimeMillis(), e));
    }

    synchronized void response(CommandResponse r) {
        record(responses, r);
    }

    synchronized void command(SentCommand c) {
        record(commands, c);
    }

    private <T> void record(ArrayDeque<T> log, T entry) {
        if (max == 0) {
            return;
        }
        if (log.size() >= max) {
            log.pollFirst();
        }
        log.addLast(entry);
    }

    synchronized List<Event> events() {
        List<Event> all = new ArrayList<>(events.size());
        for (ReceivedEvent r : events) {
            all.add(r.event());
        }
        return List.copyOf(all);
    }

    /** The events with a sequence number from {@code since} on that are still kept, the last {@code most} of them. */
    synchronized EventsSince eventsSince(long since, int most) {
        ArrayDeque<ReceivedEvent> newest = new ArrayDeque<>();
        var it = events.descendingIterator();
        while (it.hasNext() && newest.size() < most) {
            ReceivedEvent r = it.next();
            if (r.sequence() < since) {
                break;
            }
            newest.addFirst(r);
        }
        return new EventsSince(eventsReceived, List.copyOf(newest));
    }

    /** Commands sent, oldest first, with their answers so far. */
    synchronized List<Command> commands() {
        List<Command> all = new ArrayList<>(commands.size());
        for (SentCommand c : commands) {
            all.add(c.view());
        }
        return List.copyOf(all);
    }

    synchronized List<CommandResponse> commandResponses() {
        return List.copyOf(responses);
    }

    /** Forgets events, responses and commands (the event sequence goes on). */
    synchronized void reset() {
        events.clear();
        responses.clear();
        commands.clear();
    }
}
