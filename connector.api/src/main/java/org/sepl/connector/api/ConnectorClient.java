package org.sepl.connector.api;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The connection of this gateway to the SEPL platform (the original client's {@code Client}).
 * <p>
 * {@code connector.impl} registers one such service per configured platform account. It connects by itself,
 * synchronises the devices of the highest-ranked {@link DeviceManager} service, and reconnects with back-off
 * whenever the connection is lost.
 *
 * <h2>Requests</h2>
 * Every request comes in two forms: {@code xxxAsync(...)} returns at once with a {@link CompletionStage}, and
 * {@code xxx(...)} blocks until that stage completes. A stage always completes, exactly once:
 * <ul>
 * <li>normally, with the platform's {@link Response} (check {@link Response#isSuccess()}: 400 and 500 answers
 * are responses, not exceptions);</li>
 * <li>or exceptionally with a {@link ConnectorException} whose {@link ConnectorException#reason() reason} is
 * {@code NOT_CONNECTED} (the client was not ready, nothing was sent), {@code TIMEOUT} (no answer within the
 * timeout), {@code CONNECTION_LOST} or {@code CLOSED}.</li>
 * </ul>
 * Stages complete on the client's callback thread, which runs nothing but your code: never the network thread,
 * never the thread that sends, settles or synchronises. A dependent action that takes its time delays the next
 * completions and listener calls, never the client's own work (deliveries, settlements, reconnects).
 * <p>
 * <b>Back-pressure.</b> At most a configured number of requests are in flight. Events and command answers beyond
 * that wait in the outbox for a free slot (they never block the caller, and never fail for it); device changes
 * beyond the window fail at once with {@code WINDOW_FULL}. With the outbox disabled, an event or answer beyond the
 * window fails at once with {@code WINDOW_FULL}.
 * <p>
 * <b>Arguments.</b> A null or invalid argument throws {@link NullPointerException} or
 * {@link IllegalArgumentException} naming it, before anything is sent or changed.
 *
 * <h2>Events and answers: the outbox</h2>
 * Events and command answers go through an outbox (by default the client's own bounded in-memory one; in OSGi the
 * highest-ranked {@link org.sepl.connector.api.outbox.Outbox} service, e.g. the durable SQLite one). A message is
 * either <i>refused</i> (never sent: {@code REFUSED} with the reason), or <i>stored</i>: then it is sent while the
 * client is ready, kept across link losses and sent again after the next synchronisation in accepted order, and
 * removed only when the platform answered (2xx delivered; 4xx final, reported, not retried). Delivery is at least
 * once: a duplicate happens only when a message was sent and its answer was lost. {@link #sendEvent} and
 * {@link #sendResponse} report storage and delivery separately ({@link Delivery}); {@code eventAsync}/{@code event}
 * keep their meaning (the platform's answer, up to the timeout) and a {@code TIMEOUT} there does <b>not</b> cancel
 * the delivery of a stored message. With the outbox disabled, events and answers fail at once with
 * {@code NOT_CONNECTED} while the client is not ready.
 *
 * <h2>Getting a client</h2>
 * In OSGi, {@code connector.impl} registers one such service per configuration of {@code org.sepl.connector.client};
 * the framework owns it. Without OSGi, {@link #builder()} builds a {@link StandaloneConnectorClient} that you start
 * and close.
 *
 * <h2>While not ready</h2>
 * Events and command answers are stored (see above). Device changes ({@code add},
 * {@code update}, {@code disconnect}, {@code delete}) are always applied to the device manager; they are
 * published (the change, then a {@code commit} of the new gateway hash) only while ready, and otherwise fail
 * with {@code NOT_CONNECTED}: the next connect's hash synchronisation reconciles them.
 */
@ProviderType
public interface ConnectorClient {

    /** @return the current connection state */
    ConnectionState state();

    /** @return {@code true} when connected and synchronised: requests are sent */
    default boolean isReady() {
        return state() == ConnectionState.READY;
    }

    /**
     * A new builder of a {@link StandaloneConnectorClient}, from the implementation on the class path
     * ({@code connector.impl}, found with {@link java.util.ServiceLoader}). For plain Java; in OSGi use the
     * {@code ConnectorClient} service.
     *
     * @throws IllegalStateException if no implementation is on the class path
     * @since 1.3
     */
    static ConnectorClientBuilder builder() {
        return ClientImplementations.newBuilder();
    }

    /**
     * Waits until the client is {@link ConnectionState#READY} (connected and synchronised). OSGi code is rather a
     * {@link ConnectionListener}.
     *
     * @param timeout positive
     * @return true if ready; false if the timeout passed or the client was closed first
     * @throws InterruptedException if interrupted while waiting
     * @since 1.3
     */
    boolean awaitReady(Duration timeout) throws InterruptedException;

    /** @return the gateway id the platform assigned, or the empty string before the first successful handshake */
    String gatewayId();

    /** @return a snapshot of the client's health */
    ClientStatus status();

    /** @return the timeout used by the methods that take none (configuration, default 10 s) */
    Duration defaultTimeout();

    // ---- events ------------------------------------------------------------------------------------------

    /**
     * Publishes an event of a device's service.
     *
     * @param deviceId  the gateway-local device id; the device must be synchronised with the platform
     * @param serviceId the service id ({@code service_uri})
     * @param data      the {@code data} part, usually a JSON document as a string; may be null
     * @param metadata  the {@code metadata} part; may be null
     * @param timeout   how long to wait for the platform's answer; positive
     * @return the platform's answer: 200, or 400 if the device is not listened to or has no such service
     */
    CompletionStage<Response> eventAsync(String deviceId, String serviceId, String data, String metadata,
            Duration timeout);

    /** {@link #eventAsync(String, String, String, String, Duration)} with the default timeout. */
    default CompletionStage<Response> eventAsync(String deviceId, String serviceId, String data, String metadata) {
        return eventAsync(deviceId, serviceId, data, metadata, defaultTimeout());
    }

    /** Blocking {@link #eventAsync(String, String, String, String, Duration)}. */
    default Response event(String deviceId, String serviceId, String data, String metadata, Duration timeout)
            throws ConnectorException {
        return await(eventAsync(deviceId, serviceId, data, metadata, timeout));
    }

    /** Blocking {@link #eventAsync(String, String, String, String)} with the default timeout. */
    default Response event(String deviceId, String serviceId, String data, String metadata) throws ConnectorException {
        return event(deviceId, serviceId, data, metadata, defaultTimeout());
    }

    /**
     * Sends an event through the client's outbox and reports its storage and its delivery separately: see
     * {@link Delivery}. Returns at once (does not wait for the in-flight window). With the outbox disabled, the
     * event is sent only while ready, else {@code stored()} fails with {@code NOT_CONNECTED}.
     *
     * @param deviceId  the gateway-local device id; the device must be synchronised with the platform
     * @param serviceId the service id ({@code service_uri})
     * @param data      the {@code data} part; may be null
     * @param metadata  the {@code metadata} part; may be null
     * @since 1.2
     */
    Delivery sendEvent(String deviceId, String serviceId, String data, String metadata);

    /** {@link #event(String, String, String, String)} for a device object. */
    default Response event(Device device, String serviceId, String data, String metadata) throws ConnectorException {
        return event(Objects.requireNonNull(device, "device must not be null").id(), serviceId, data, metadata);
    }

    // ---- commands ----------------------------------------------------------------------------------------

    /**
     * Takes the next command that no {@link CommandHandler} claimed, waiting for one.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    Command receive() throws InterruptedException;

    /**
     * Takes the next command that no {@link CommandHandler} claimed, waiting at most {@code timeout}.
     *
     * @return the command, or empty if none came in time
     * @throws InterruptedException if interrupted while waiting
     */
    Optional<Command> receive(Duration timeout) throws InterruptedException;

    /**
     * Answers a command: sends its payload back with {@code protocol_parts} replaced by {@code metadata} and
     * {@code data} (docs/PROTOCOL.md §5).
     *
     * @param command  the command, as received
     * @param data     the {@code data} part; may be null
     * @param metadata the {@code metadata} part; may be null
     * @param timeout  how long to wait for the platform's acknowledgement; positive
     */
    CompletionStage<Response> respondAsync(Command command, String data, String metadata, Duration timeout);

    /** {@link #respondAsync(Command, String, String, Duration)} with the default timeout. */
    default CompletionStage<Response> respondAsync(Command command, String data, String metadata) {
        return respondAsync(command, data, metadata, defaultTimeout());
    }

    /**
     * Answers a command through the client's outbox, reporting storage and delivery separately: see
     * {@link Delivery} and {@link #sendEvent}.
     *
     * @since 1.2
     */
    Delivery sendResponse(Command command, String data, String metadata);

    /** Blocking {@link #respondAsync(Command, String, String)}. */
    default Response respond(Command command, String data, String metadata) throws ConnectorException {
        return await(respondAsync(command, data, metadata, defaultTimeout()));
    }

    // ---- device changes ----------------------------------------------------------------------------------

    /**
     * Adds a device to the device manager, or replaces the one with the same id, and publishes it to the
     * platform ({@code put}, then {@code commit}).
     *
     * @return the answer to the {@code put} if it failed, else the answer to the {@code commit}
     */
    CompletionStage<Response> addAsync(Device device, Duration timeout);

    /** {@link #addAsync(Device, Duration)} with the default timeout. */
    default CompletionStage<Response> addAsync(Device device) {
        return addAsync(device, defaultTimeout());
    }

    /** Blocking {@link #addAsync} with the default timeout. */
    default Response add(Device device) throws ConnectorException {
        return await(addAsync(device, defaultTimeout()));
    }

    /**
     * Replaces a device in the device manager and publishes the change ({@code put}, then {@code commit}). The
     * platform merges tags: a tag removed here stays on the platform.
     *
     * @throws IllegalArgumentException if the device manager has no device with this id (nothing is changed)
     */
    CompletionStage<Response> updateAsync(Device device, Duration timeout);

    /** {@link #updateAsync(Device, Duration)} with the default timeout. */
    default CompletionStage<Response> updateAsync(Device device) {
        return updateAsync(device, defaultTimeout());
    }

    /** Blocking {@link #updateAsync} with the default timeout. */
    default Response update(Device device) throws ConnectorException {
        return await(updateAsync(device, defaultTimeout()));
    }

    /**
     * Removes a device from the device manager and disconnects it on the platform, where it stays, shown as
     * disconnected ({@code disconnect}, then {@code commit}). Sent even if the device manager did not know the id;
     * the platform answers 500 if it was not connected.
     */
    CompletionStage<Response> disconnectAsync(String deviceId, Duration timeout);

    /** {@link #disconnectAsync(String, Duration)} with the default timeout. */
    default CompletionStage<Response> disconnectAsync(String deviceId) {
        return disconnectAsync(deviceId, defaultTimeout());
    }

    /** Blocking {@link #disconnectAsync} with the default timeout. */
    default Response disconnect(String deviceId) throws ConnectorException {
        return await(disconnectAsync(deviceId, defaultTimeout()));
    }

    /**
     * Removes a device from the device manager and deletes it from the platform ({@code delete}, then
     * {@code commit}). Sent even if the device manager did not know the id.
     */
    CompletionStage<Response> deleteAsync(String deviceId, Duration timeout);

    /** {@link #deleteAsync(String, Duration)} with the default timeout. */
    default CompletionStage<Response> deleteAsync(String deviceId) {
        return deleteAsync(deviceId, defaultTimeout());
    }

    /** Blocking {@link #deleteAsync} with the default timeout. */
    default Response delete(String deviceId) throws ConnectorException {
        return await(deleteAsync(deviceId, defaultTimeout()));
    }

    /**
     * Waits for a request's stage and unwraps its outcome. The stage itself honours the request's timeout, so
     * this never waits much longer than that.
     *
     * @throws ConnectorException the stage's failure; {@code INTERRUPTED} (interrupt flag set again) if the
     *                            calling thread was interrupted
     */
    static Response await(CompletionStage<Response> stage) throws ConnectorException {
        try {
            return stage.toCompletableFuture().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectorException(ConnectorException.Reason.INTERRUPTED, "interrupted while waiting", e);
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof ConnectorException ce) {
                throw ce;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        } catch (CancellationException e) {
            throw new ConnectorException(ConnectorException.Reason.CLOSED, "request cancelled", e);
        }
    }
}
