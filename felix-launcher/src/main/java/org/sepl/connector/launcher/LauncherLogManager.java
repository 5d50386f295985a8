package org.sepl.connector.launcher;

import java.util.logging.LogManager;

/**
 * A {@link LogManager} that keeps its handlers open until the launcher has stopped the framework.
 * <p>
 * The JDK's own shutdown hook resets the log manager, closing every handler, while other hooks still run; the
 * launcher's hook stops the framework, and the bundles log while they stop. {@link #reset()} is therefore a no-op
 * here; the launcher calls {@link #resetFinally()} as its last step. Installed through the system property
 * {@code java.util.logging.manager}, which must be set before anything touches logging.
 */
public final class LauncherLogManager extends LogManager {

    /** Does nothing: handlers stay open until {@link #resetFinally()}. */
    @Override
    public void reset() {
        // Deliberately empty, see the class comment.
    }

    /** Flushes and closes every handler: the last thing the launcher does. */
    public void resetFinally() {
        super.reset();
    }

    /** Closes the handlers now if the installed manager is a {@code LauncherLogManager}. */
    static void closeHandlers() {
        if (LogManager.getLogManager() instanceof LauncherLogManager manager) {
            manager.resetFinally();
        }
    }
}
