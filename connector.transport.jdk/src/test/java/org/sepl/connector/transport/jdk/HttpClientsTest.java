package org.sepl.connector.transport.jdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.Test;

/** One JDK client for ws://, one per TLS context for wss://; the ws:// one never touches TLS. */
class HttpClientsTest {

    @Test
    void thePlainClientsTlsContextRefusesAnyUseAndSaysWhy() {
        SSLContext stub = HttpClients.plainOnlyTlsContext();
        IllegalStateException e = assertThrows(IllegalStateException.class, stub::createSSLEngine);
        assertTrue(e.getMessage().contains("ws://"), e.getMessage());
        assertThrows(IllegalStateException.class, stub::getSocketFactory);
        // the JDK client reads these once when it is built
        stub.getDefaultSSLParameters();
        stub.getSupportedSSLParameters();
    }

    @Test
    void plainAndSecureConnectionsGetTheirOwnClientsMadeOnce() throws Exception {
        try (HttpClients clients = new HttpClients("test-io")) {
            assertSame(clients.client(null, false), clients.client(null, false));
            assertNotSame(clients.client(null, false), clients.client(null, true));
            SSLContext custom = SSLContext.getInstance("TLS");
            custom.init(null, null, null);
            assertSame(clients.client(custom, true), clients.client(custom, true));
            assertEquals(3, clients.clientCount());
        }
    }
}
