package org.sepl.connector.impl.osgi;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

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
    boolean encryption() default false;

    @AttributeDefinition(name = "User", description = "Platform user name.")
    String user();

    @AttributeDefinition(name = "Password", description = "Platform password; never logged.", type = AttributeType.PASSWORD)
    String _password();

    @AttributeDefinition(name = "Request timeout (ms)", description = "Default time to wait for the platform's answer.", min = "1")
    long requestTimeoutMillis() default 10_000;

    @AttributeDefinition(name = "Reconnect initial delay (ms)", description = "Back-off before the first reconnect; doubles per failed attempt, with full jitter.", min = "1")
    long reconnectInitialDelayMillis() default 1_000;

    @AttributeDefinition(name = "Reconnect maximum delay (ms)", description = "Upper bound of the reconnect back-off.", min = "1")
    long reconnectMaxDelayMillis() default 60_000;

    @AttributeDefinition(name = "Keep-alive interval (ms)", description = "Ping the platform after this long without receiving anything.", min = "1")
    long keepAliveIntervalMillis() default 10_000;

    @AttributeDefinition(name = "Keep-alive timeout (ms)", description = "Drop the connection when a ping gets no pong within this time.", min = "1")
    long keepAliveTimeoutMillis() default 10_000;

    @AttributeDefinition(name = "Maximum requests in flight", description = "Requests sent and not yet answered; callers wait beyond it.", min = "1")
    int maxRequestsInFlight() default 1_000;

    @AttributeDefinition(name = "Command queue size", description = "Commands no handler claims wait here for receive(); when full, the oldest is dropped and logged.", min = "1")
    int commandQueueSize() default 1_000;

    @AttributeDefinition(name = "Trust store", description = "Trust store file for wss; empty: the JVM's default trust.", required = false)
    String trustStore() default "";

    @AttributeDefinition(name = "Trust store type", description = "Type of the trust store file (PKCS12, JKS).", required = false)
    String trustStoreType() default "PKCS12";

    @AttributeDefinition(name = "Trust store password", type = AttributeType.PASSWORD, required = false)
    String _trustStorePassword() default "";
}
