package org.sepl.connector.impl;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

import org.sepl.connector.api.DeviceManager;
import org.sepl.connector.api.GatewayIdStore;
import org.sepl.connector.emulator.PlatformEmulator;
import org.sepl.connector.store.memory.InMemoryDeviceManager;

/** An in-process platform and a client builder pointed at it with short, test-friendly timings. */
final class EmulatorFixture implements AutoCloseable {

    static final String USER = "alice";
    static final String PASSWORD = "secret";

    final PlatformEmulator platform;
    final InMemoryDeviceManager devices = new InMemoryDeviceManager();
    final GatewayIdStore gatewayIds = GatewayIdStore.inMemory("");
    /** The parts of the last client {@link #readyClient()} made: what may change at run time changes there. */
    ClientAssembly assembly;
    private int ranking;

    /** The transport the clients use: a name, or empty for the default (the highest-ranked on the class path). */
    private final String transport;

    EmulatorFixture() throws IOException {
        this("");
    }

    EmulatorFixture(String transport) throws IOException {
        this(transport, b -> b);
    }

    /** @param platformSettings more settings of the platform (e.g. its clock) */
    EmulatorFixture(String transport, java.util.function.UnaryOperator<PlatformEmulator.Builder> platformSettings)
            throws IOException {
        this.transport = transport;
        platform = platformSettings.apply(PlatformEmulator.builder().user(USER, PASSWORD)).start();
    }

    ConnectorClientBuilder client() {
        return new ConnectorClientBuilder()
                .transport(transport)
                .platform("127.0.0.1", platform.port(), false)
                .credentials(USER, PASSWORD)
                .requestTimeout(Duration.ofSeconds(5))
                .reconnectDelay(Duration.ofMillis(20), Duration.ofMillis(200))
                .gatewayIdStore(gatewayIds)
                .deviceManager(devices);
    }

    DefaultConnectorClient readyClient() {
        assembly = client().assemble();
        DefaultConnectorClient client = assembly.client();
        client.start();
        Await.until("client ready", client::isReady);
        return client;
    }

    /** As when a better device manager appears in OSGi: it outranks every one so far. */
    void deviceManagerAppears(DeviceManager manager) {
        assembly.deviceManagerAdded(manager, null, ++ranking);
    }

    /** The platform's view of a device of the client's gateway. */
    Optional<PlatformEmulator.Device> onPlatform(DefaultConnectorClient client, String deviceId) {
        return platform.gateway(client.gatewayId()).orElseThrow().devices().stream()
                .filter(d -> d.uri().equals(deviceId)).findFirst();
    }

    String platformHash(DefaultConnectorClient client) {
        return platform.gateway(client.gatewayId()).orElseThrow().hash();
    }

    @Override
    public void close() {
        platform.close();
    }
}
