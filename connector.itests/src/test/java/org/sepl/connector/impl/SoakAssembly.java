package org.sepl.connector.impl;

/**
 * The soak gateway's way to a client's {@link ClientAssembly}: a plain-Java client has no device manager swap in its
 * API (its manager is given once), but the soak swaps managers while the client runs, as OSGi does when the SQLite
 * store bundle stops and starts. {@link ConnectorClientBuilder}'s {@code assemble()} is package-private (connector.impl's
 * own tests use it the same way), hence this class in that package, in test sources only.
 */
public final class SoakAssembly {

    private SoakAssembly() {
    }

    /** {@code builder.build()}, keeping the assembly, whose device managers can then be added and removed. */
    public static ClientAssembly assemble(ConnectorClientBuilder builder) {
        return builder.assemble();
    }
}
