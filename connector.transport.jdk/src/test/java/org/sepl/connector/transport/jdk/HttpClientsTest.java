package org.sepl.connector.transport.jdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.Test;

/**
 * One JDK client for ws://, one per TLS context for wss://; the ws:// one never touches TLS; a client no connection
 * holds goes when one for another context is made (a trust or key store replaced on disk means a new context).
 */
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
            HttpClient plain = clients.lease(null, false, null).client();
            assertSame(plain, clients.lease(null, false, null).client());
            assertNotSame(plain, clients.lease(null, true, null).client());
            SSLContext custom = context();
            assertSame(clients.lease(custom, true, null).client(), clients.lease(custom, true, null).client());
            assertEquals(3, clients.clientCount());
        }
    }

    @Test
    void aClientNoConnectionHoldsGoesWhenOneForAnotherContextIsMade() throws Exception {
        try (HttpClients clients = new HttpClients("test-io")) {
            SSLContext before = context();
            HttpClients.Lease held = clients.lease(before, true, null);
            HttpClients.Lease other = clients.lease(context(), true, null);
            assertEquals(2, clients.clientCount(), "a client a connection holds stays");
            held.release();
            held.release(); // idempotent
            other.release();
            HttpClients.Lease renewed = clients.lease(context(), true, null); // the store was replaced
            assertEquals(1, clients.clientCount(), "only the renewed context's client is left");
            assertNotSame(held.client(), clients.lease(before, true, null).client(), "made again if asked for");
            renewed.release();
        }
    }

    private static SSLContext context() throws Exception {
        SSLContext custom = SSLContext.getInstance("TLS");
        custom.init(null, null, null);
        return custom;
    }
}
