package org.sepl.connector.transport.tyrus;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

import org.glassfish.tyrus.spi.ClientEngine;

/**
 * Ends a connect at once, with the TLS failure as its cause, when the TLS connection fails after its handshake but
 * before the WebSocket upgrade is answered. Tyrus's Grizzly client ignores such a failure: it waits for the whole
 * handshake timeout and then says only "Handshake response not received." Under TLS 1.3 that is how a platform that
 * requires client certificates refuses a gateway without one (or with one it does not trust): the client's side of
 * the handshake is complete before the server checks the certificate, and the server's alert
 * ({@code certificate_required}, {@code bad_certificate}, {@code unknown_ca}) is the first thing the client reads.
 * <p>
 * One per connection attempt over {@code wss://}: the transport puts it into the attempt's
 * {@code ClientEndpointConfig} user properties ({@link #PROPERTY}) with {@link #context()} as its TLS context;
 * {@link FailFastClientContainer} hands it Tyrus's engine of the attempt; the engines of {@link #context()} report
 * their first {@link SSLException} here, which fails the engine's upgrade (a no-op once the upgrade succeeded).
 */
final class TlsFailureWatch {

    /** The key of the watch among a connection's user properties. */
    static final String PROPERTY = TlsFailureWatch.class.getName();

    private final SSLContext context;
    private volatile ClientEngine engine;

    /** @param tls the connection's TLS context (trust, and the client certificate if any) */
    TlsFailureWatch(SSLContext tls) {
        this.context = new FailureReportingSslContext(tls, this::failed);
    }

    /** @return the TLS context to connect with: {@code tls}, with its engines reporting here */
    SSLContext context() {
        return context;
    }

    /** The Tyrus engine of this attempt, before it connects. */
    void engine(ClientEngine clientEngine) {
        this.engine = clientEngine;
    }

    private void failed(SSLException failure) {
        ClientEngine e = engine;
        if (e == null) {
            return;
        }
        try {
            e.processError(failure); // the connect's handshake listener: the waiting connect throws with this cause
        } catch (IllegalStateException upgraded) {
            // the upgrade had succeeded: the connection's own close reports the failure
        }
    }
}
