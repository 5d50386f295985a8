package org.sepl.connector.api.transport;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

import javax.net.ssl.SSLContext;

/**
 * What one connection asks of its {@link WebSocketTransport}; nothing of it leaks into another connection.
 * Immutable; build it with {@link #builder()}.
 */
public final class ConnectionOptions {

    /** The default limit of an incoming message: 16 MiB. */
    public static final int MAX_MESSAGE_BYTES_DEFAULT = 16 * 1024 * 1024;
    /** The default time to open a connection (TCP, TLS, proxy and WebSocket upgrade): 10 s. */
    public static final Duration HANDSHAKE_TIMEOUT_DEFAULT = Duration.ofSeconds(10);

    private final SSLContext sslContext;
    private final int maxMessageBytes;
    private final Duration handshakeTimeout;
    private final HttpProxy proxy;

    private ConnectionOptions(Builder b) {
        this.sslContext = b.sslContext;
        this.maxMessageBytes = b.maxMessageBytes;
        this.handshakeTimeout = b.handshakeTimeout;
        this.proxy = b.proxy;
    }

    /** @return a builder with the defaults: the JVM's trust, 16 MiB, 10 s, the JVM's proxy settings */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @return the TLS context of a {@code wss://} connection (trust, and a client certificate if it has key
     *         managers); empty: the JVM's default. The host name is always verified.
     */
    public Optional<SSLContext> sslContext() {
        return Optional.ofNullable(sslContext);
    }

    /**
     * @return the largest incoming message, in UTF-8 bytes of its text (fragments joined); a larger one ends the
     *         connection with close code 1009 and a reason naming the limit, and is never delivered
     */
    public int maxMessageBytes() {
        return maxMessageBytes;
    }

    /** @return the longest {@link WebSocketTransport#connect} may take */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /** @return the proxy to go through; empty: the JVM's proxy settings ({@link java.net.ProxySelector#getDefault()}) */
    public Optional<HttpProxy> proxy() {
        return Optional.ofNullable(proxy);
    }

    @Override
    public String toString() {
        return "ConnectionOptions[tls=" + (sslContext == null ? "JVM default" : "given") + ", maxMessageBytes="
                + maxMessageBytes + ", handshakeTimeout=" + handshakeTimeout + ", proxy="
                + (proxy == null ? "JVM default" : proxy) + "]";
    }

    /** Builds {@link ConnectionOptions}. */
    public static final class Builder {
        private SSLContext sslContext;
        private int maxMessageBytes = MAX_MESSAGE_BYTES_DEFAULT;
        private Duration handshakeTimeout = HANDSHAKE_TIMEOUT_DEFAULT;
        private HttpProxy proxy;

        private Builder() {
        }

        /** @param context trust (and key) material for wss; null: the JVM's default */
        public Builder sslContext(SSLContext context) {
            this.sslContext = context;
            return this;
        }

        /** @throws IllegalArgumentException if {@code bytes < 1} */
        public Builder maxMessageBytes(int bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("maxMessageBytes must be at least 1, got " + bytes);
            }
            this.maxMessageBytes = bytes;
            return this;
        }

        /** @throws IllegalArgumentException if not positive */
        public Builder handshakeTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "handshakeTimeout must not be null");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("handshakeTimeout must be positive, got " + timeout);
            }
            this.handshakeTimeout = timeout;
            return this;
        }

        /** @param proxy the proxy to go through; null: the JVM's proxy settings */
        public Builder proxy(HttpProxy proxy) {
            this.proxy = proxy;
            return this;
        }

        public ConnectionOptions build() {
            return new ConnectionOptions(this);
        }
    }
}
