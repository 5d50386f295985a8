package org.sepl.connector.impl.connection;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLException;

/**
 * Says in words why a connection could not be opened, from the failure's cause chain, whatever the transport: a
 * {@code java.net.ConnectException} alone tells an operator nothing.
 */
final class ConnectFailure {

    private ConnectFailure() {
    }

    static String describe(Throwable failure, URI uri) {
        String where = uri.getHost() + ":" + uri.getPort();
        for (Throwable c = failure; c != null; c = c.getCause()) {
            if (c instanceof UnknownHostException || c instanceof UnresolvedAddressException) {
                return "unknown host " + uri.getHost() + " (the name does not resolve; check host)";
            }
            if (c instanceof HttpConnectTimeoutException || c instanceof SocketTimeoutException
                    || c instanceof TimeoutException) {
                return "no connection to " + where + " within the timeout (host down, or a firewall drops the "
                        + "packets?)";
            }
            if (c instanceof NoRouteToHostException) {
                return "no route to " + where + " (network down or host unreachable)";
            }
            if (c instanceof ConnectException) {
                return "connection refused by " + where + " (nothing listens on that port: check host, port and "
                        + "that the platform runs)";
            }
            if (c instanceof SSLException) {
                return "TLS failed: " + c.getMessage() + " (the platform's certificate must be trusted by the trust "
                        + "store and name the host " + uri.getHost() + ")";
            }
        }
        String message = failure.getMessage();
        return message != null ? message : failure.toString();
    }
}
