package org.sepl.connector.impl.osgi;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.sepl.connector.impl.ClientSettings;

/**
 * Configuration of one platform connection (PID {@value #PID}; a factory configuration of the same PID gives one
 * client per platform account). Property names are the method names; {@code .password} and
 * {@code .trustStorePassword} start with a dot so they never become service properties.
 */
@ObjectClassDefinition(id = ClientConfiguration.PID, name = "SEPL connector client",
        description = "Connection of this gateway to a SEPL platform connector endpoint.")
public @interface ClientConfiguration {

    String PID = "org.sepl.connector.client";

    @AttributeDefinition(name = "Host", description = "Host name or address of the platform's connector endpoint.")
    String host();

    @AttributeDefinition(name = "Port", description = "TCP port of the endpoint.", min = "1", max = "65535")
    int port();

    @AttributeDefinition(name = "Encryption", description = "Use wss:// (TLS, host name verified) instead of ws://.")
    boolean encryption() default ClientSettings.ENCRYPTION_DEFAULT;

    @AttributeDefinition(name = "User", description = "Platform user name.")
    String user();

    @AttributeDefinition(name = "Password", description = "Platform password; never logged.", type = AttributeType.PASSWORD)
    String _password();

    @AttributeDefinition(name = "Request timeout (ms)", description = "Default time to wait for the platform's answer.", min = "1")
    long requestTimeoutMillis() default ClientSettings.REQUEST_TIMEOUT_MILLIS_DEFAULT;

    @AttributeDefinition(name = "Reconnect initial delay (ms)", description = "Back-off ceiling of the second reconnect attempt (the first comes within 250 ms); doubles per failed attempt, with full jitter.", min = "1")
    long reconnectInitialDelayMillis() default ClientSettings.RECONNECT_INITIAL_DELAY_MILLIS_DEFAULT;

    @AttributeDefinition(name = "Reconnect maximum delay (ms)", description = "Upper bound of the reconnect back-off.", min = "1")
    long reconnectMaxDelayMillis() default ClientSettings.RECONNECT_MAX_DELAY_MILLIS_DEFAULT;

    @AttributeDefinition(name = "Keep-alive interval (ms)", description = "Ping the platform after this long without receiving anything.", min = "1")
    long keepAliveIntervalMillis() default ClientSettings.KEEP_ALIVE_INTERVAL_MILLIS_DEFAULT;

    @AttributeDefinition(name = "Keep-alive timeout (ms)", description = "Drop the connection when a ping gets no pong within this time.", min = "1")
    long keepAliveTimeoutMillis() default ClientSettings.KEEP_ALIVE_TIMEOUT_MILLIS_DEFAULT;

    @AttributeDefinition(name = "Maximum requests in flight", description = "Requests sent and not yet answered; beyond it an event or answer fails at once with WINDOW_FULL (not sent).", min = "1")
    int maxRequestsInFlight() default ClientSettings.MAX_REQUESTS_IN_FLIGHT_DEFAULT;

    @AttributeDefinition(name = "Command queue size", description = "Commands waiting for a handler, and commands no handler claims waiting for receive(); beyond it a command is answered with an error and logged.", min = "1")
    int commandQueueSize() default ClientSettings.COMMAND_QUEUE_SIZE_DEFAULT;

    @AttributeDefinition(name = "Maximum frame size (bytes)", description = "Largest frame accepted from the platform.", min = "65536")
    int maxFrameBytes() default ClientSettings.MAX_FRAME_BYTES_DEFAULT;

    @AttributeDefinition(name = "Request timeouts before reconnect", description = "Consecutive request timeouts, with nothing received meanwhile, after which the connection is re-established (a platform that answers pings but no requests).", min = "1")
    int requestTimeoutsBeforeReconnect() default ClientSettings.REQUEST_TIMEOUTS_BEFORE_RECONNECT_DEFAULT;

    @AttributeDefinition(name = "Maximum command age (ms)", description = "A command older than this (its time field, or its wait for a handler) is not executed but answered with an error.", min = "1")
    long commandMaxAgeMillis() default ClientSettings.COMMAND_MAX_AGE_MILLIS_DEFAULT;

    @AttributeDefinition(name = "Unclaimed command timeout (ms)", description = "A command no handler claims and nobody receive()s within this is answered with an error.", min = "1")
    long unclaimedCommandTimeoutMillis() default ClientSettings.UNCLAIMED_COMMAND_TIMEOUT_MILLIS_DEFAULT;

    @AttributeDefinition(name = "Outbox enabled", description = "Send events and command answers through an outbox: the highest-ranked Outbox service, else the client's own bounded in-memory one. Stored while the link is down, delivered at least once. Off: they fail at once with NOT_CONNECTED while not ready.")
    boolean outboxEnabled() default ClientSettings.OUTBOX_ENABLED_DEFAULT;

    @AttributeDefinition(name = "Rate limit: average (events/s)", description = "Outgoing events per second on average (Kura's rate.limit.average); events over the rate wait in the outbox, never dropped. 0: no limit; else a finite number above 0.", min = "" + ClientSettings.RATE_LIMIT_AVERAGE_MIN)
    double rateLimitAverage() default ClientSettings.RATE_LIMIT_AVERAGE_DEFAULT;

    @AttributeDefinition(name = "Rate limit: burst (events)", description = "Events that may go at once after a quiet time when a rate limit is set (Kura's rate.limit.burst); at least " + ClientSettings.RATE_LIMIT_BURST_MIN + ".", min = "" + ClientSettings.RATE_LIMIT_BURST_MIN)
    int rateLimitBurst() default ClientSettings.RATE_LIMIT_BURST_DEFAULT;

    @AttributeDefinition(name = "Trust store", description = "Trust store file for wss; empty: the JVM's default trust.", required = false)
    String trustStore() default "";

    @AttributeDefinition(name = "Trust store type", description = "Type of the trust store file (PKCS12, JKS).", required = false)
    String trustStoreType() default "PKCS12";

    @AttributeDefinition(name = "Trust store password", type = AttributeType.PASSWORD, required = false)
    String _trustStorePassword() default "";
}
