package org.sepl.connector.launcher;

import java.util.logging.Level;
import java.util.logging.Logger;

import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;

/**
 * Sends the Felix framework's own messages (resolver errors, bundle start failures) to java.util.logging under
 * {@code org.apache.felix.framework}, instead of Felix's default of printing them to standard output. Passed to
 * the framework as {@code felix.log.logger}.
 */
final class FelixJulLogger extends org.apache.felix.framework.Logger {

    private final Logger jul = Logger.getLogger("org.apache.felix.framework");

    @Override
    protected void doLog(Bundle bundle, ServiceReference sr, int level, String msg, Throwable throwable) {
        String source = bundle == null ? "" : "[" + bundle.getSymbolicName() + "] ";
        jul.log(level(level), source + msg, throwable);
    }

    @Override
    protected void doLog(int level, String msg, Throwable throwable) {
        jul.log(level(level), msg, throwable);
    }

    private static Level level(int felixLevel) {
        return switch (felixLevel) {
            case LOG_ERROR -> Level.SEVERE;
            case LOG_WARNING -> Level.WARNING;
            case LOG_INFO -> Level.INFO;
            default -> Level.FINE;
        };
    }
}
