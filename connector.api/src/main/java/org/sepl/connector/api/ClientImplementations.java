package org.sepl.connector.api;

import java.util.Iterator;
import java.util.ServiceLoader;

/** Finds the client implementation for {@link ConnectorClient#builder()}. */
final class ClientImplementations {

    private ClientImplementations() {
    }

    /**
     * A new builder of the implementation on the class path: through the thread's context class loader first (an
     * application server or a test runner may set it), then this API's own.
     */
    static ConnectorClientBuilder newBuilder() {
        for (ClassLoader loader : new ClassLoader[] { Thread.currentThread().getContextClassLoader(),
                ConnectorClientBuilder.class.getClassLoader() }) {
            if (loader == null) {
                continue;
            }
            Iterator<ConnectorClientBuilder> found = ServiceLoader.load(ConnectorClientBuilder.class, loader).iterator();
            if (found.hasNext()) {
                return found.next();
            }
        }
        throw new IllegalStateException("No SEPL connector client on the class path: add the artifact "
                + "org.sepl.connector:connector.impl (in OSGi, use the ConnectorClient service instead)");
    }
}
