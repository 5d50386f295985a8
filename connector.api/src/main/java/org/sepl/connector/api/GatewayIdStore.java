package org.sepl.connector.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Where the gateway id the platform assigned is kept between runs (the original client wrote it into its conf
 * file). Sent on every handshake, so that the platform recognises the gateway and its devices.
 *
 * @since 1.3 (before: {@code org.sepl.connector.impl.GatewayIdStore})
 */
@ConsumerType
public interface GatewayIdStore {

    /** @return the stored id, or the empty string if none */
    String load();

    /** Stores a new id. */
    void save(String gatewayId);

    /** @return a store that forgets on restart, starting with {@code initial} (null: none) */
    static GatewayIdStore inMemory(String initial) {
        AtomicReference<String> id = new AtomicReference<>(initial == null ? "" : initial);
        return new GatewayIdStore() {
            @Override
            public String load() {
                return id.get();
            }

            @Override
            public void save(String gatewayId) {
                id.set(Objects.requireNonNull(gatewayId, "gatewayId must not be null"));
            }
        };
    }

    /**
     * @return a store in a small text file, replaced atomically on save, so that a crash never leaves half an id
     */
    static GatewayIdStore file(Path file) {
        Objects.requireNonNull(file, "file must not be null");
        return new GatewayIdStore() {
            @Override
            public String load() {
                try {
                    return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8).trim() : "";
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read the gateway id from " + file, e);
                }
            }

            @Override
            public void save(String gatewayId) {
                try {
                    Files.createDirectories(file.toAbsolutePath().getParent());
                    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
                    Files.writeString(tmp, gatewayId, StandardCharsets.UTF_8);
                    try {
                        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                    } catch (AtomicMoveNotSupportedException e) {
                        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot write the gateway id to " + file, e);
                }
            }

            @Override
            public String toString() {
                return "GatewayIdStore[" + file + "]";
            }
        };
    }
}
