package org.sepl.connector.impl;

import java.nio.file.Path;

/**
 * Where the gateway id is kept between runs.
 *
 * @deprecated since 1.3: use {@link org.sepl.connector.api.GatewayIdStore} (same methods, in the API). Kept so that
 *             code written against 1.2 compiles unchanged.
 */
@Deprecated(since = "1.3")
public interface GatewayIdStore extends org.sepl.connector.api.GatewayIdStore {

    /** @return a store that forgets on restart, starting with {@code initial} */
    static GatewayIdStore inMemory(String initial) {
        return of(org.sepl.connector.api.GatewayIdStore.inMemory(initial));
    }

    /** @return a store in a small text file, replaced atomically on save */
    static GatewayIdStore file(Path file) {
        return of(org.sepl.connector.api.GatewayIdStore.file(file));
    }

    private static GatewayIdStore of(org.sepl.connector.api.GatewayIdStore store) {
        return new GatewayIdStore() {
            @Override
            public String load() {
                return store.load();
            }

            @Override
            public void save(String gatewayId) {
                store.save(gatewayId);
            }

            @Override
            public String toString() {
                return store.toString();
            }
        };
    }
}
