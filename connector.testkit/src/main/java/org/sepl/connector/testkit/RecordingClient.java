package org.sepl.connector.testkit;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;

import org.sepl.connector.api.ClientStatus;
import org.sepl.connector.api.Command;
import org.sepl.connector.api.ConnectionState;
import org.sepl.connector.api.ConnectorClient;
import org.sepl.connector.api.Delivery;
import org.sepl.connector.api.Device;
import org.sepl.connector.api.Response;

/**
 * A {@link ConnectorClient} for unit tests of gateway code: ready, acknowledges everything with 200, records the
 * devices added and the events sent.
 */
public final class RecordingClient implements ConnectorClient {

    public record Event(String deviceId, String serviceId, String data) {
    }

    public final List<Device> added = new CopyOnWriteArrayList<>();
    public final LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();
    public volatile ConnectionState state = ConnectionState.READY;

    private static CompletionStage<Response> ok() {
        return CompletableFuture.completedFuture(new Response(200, "string", "ok"));
    }

    @Override
    public ConnectionState state() {
        return state;
    }

    @Override
    public boolean awaitReady(Duration timeout) {
        return state == ConnectionState.READY;
    }

    @Override
    public String gatewayId() {
        return "gw-1";
    }

    @Override
    public ClientStatus status() {
        return new ClientStatus(state, gatewayId(), 0, 0, null, Instant.now(),
                new org.sepl.connector.api.outbox.OutboxStatus(3, 300, java.time.Duration.ofSeconds(2), 10, 7, 0, 0, 0, 0),
                new org.sepl.connector.api.DeliveryLedger(10, java.util.Map.of(), 10, 0, 7, 0, 0, 0, 0, 0, 3),
                org.sepl.connector.api.outbox.OutboxFlow.IDLE);
    }

    @Override
    public Duration defaultTimeout() {
        return Duration.ofSeconds(1);
    }

    @Override
    public CompletionStage<Response> eventAsync(String deviceId, String serviceId, String data, String metadata,
            Duration timeout) {
        events.add(new Event(deviceId, serviceId, data));
        return ok();
    }

    @Override
    public Delivery sendEvent(String deviceId, String serviceId, String data, String metadata) {
        events.add(new Event(deviceId, serviceId, data));
        return new Delivery(CompletableFuture.completedFuture(null), ok());
    }

    @Override
    public Delivery sendResponse(Command command, String data, String metadata) {
        return new Delivery(CompletableFuture.completedFuture(null), ok());
    }

    @Override
    public Command receive() {
        throw new UnsupportedOperationException();
    }

    @Override
    public Optional<Command> receive(Duration timeout) {
        return Optional.empty();
    }

    @Override
    public CompletionStage<Response> respondAsync(Command command, String data, String metadata, Duration timeout) {
        return ok();
    }

    @Override
    public CompletionStage<Response> addAsync(Device device, Duration timeout) {
        added.add(device);
        return ok();
    }

    @Override
    public CompletionStage<Response> updateAsync(Device device, Duration timeout) {
        return ok();
    }

    @Override
    public CompletionStage<Response> disconnectAsync(String deviceId, Duration timeout) {
        return ok();
    }

    @Override
    public CompletionStage<Response> deleteAsync(String deviceId, Duration timeout) {
        return ok();
    }
}
