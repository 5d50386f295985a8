package org.sepl.connector.launcher;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Level;

/**
 * The launcher's {@code --log-level}: one word for every logger of the gateway, so that the level of java.util.logging
 * (the launcher, our bundles, everything bridged into it) and the levels the OSGi bundles keep themselves (SCR,
 * FileInstall, Config Admin, the framework, the OSGi Log Service's root logger) are set together, in this one place.
 * {@link #INFO} leaves those bundles as the launcher has always run them: warnings only.
 * <p>
 * No level shows a password: the loggers known to print configurations or protocol frames whole never go below INFO
 * ({@link #CAPPED_AT_INFO}, Config Admin's {@code felix.cm.loglevel}): at DEBUG Config Admin prints every
 * configuration it stores, at FINEST Java-WebSocket (the demo's platform emulator) every frame, the handshake's
 * credentials included, and the JDK's HTTP client its wire traffic.
 */
enum LogLevel {
    ERROR(Level.SEVERE, "error", 1, "ERROR"),
    WARNING(Level.WARNING, "warn", 2, null),
    INFO(Level.INFO, "warn", 2, null),
    DEBUG(Level.FINE, "debug", 4, "DEBUG"),
    /** Everything any logger offers. */
    TRACE(Level.ALL, "debug", 4, "TRACE");

    /** Loggers (java.util.logging names, prefixes included) that print whole configurations or frames below INFO. */
    static final List<String> CAPPED_AT_INFO = List.of("org.java_websocket",
            "jdk.internal.httpclient", "LogService.org.apache.felix.configadmin", "org.apache.felix.configadmin");
    /** Config Admin's own level never goes below 3 (info): at 4 it prints each configuration it stores. */
    private static final int CONFIG_ADMIN_MAX_LEVEL = 3;

    /** The OSGi Log Service's default level of every logger (OSGi Compendium 101.8.2); null keeps its default. */
    static final String OSGI_LOG_ADMIN_LEVEL = "org.osgi.service.log.admin.loglevel";

    private final Level julLevel;
    private final String scrLevel;
    private final int felixLevel;
    private final String osgiLevel;

    LogLevel(Level julLevel, String scrLevel, int felixLevel, String osgiLevel) {
        this.julLevel = julLevel;
        this.scrLevel = scrLevel;
        this.felixLevel = felixLevel;
        this.osgiLevel = osgiLevel;
    }

    /** @return the level of the root logger of java.util.logging */
    Level julLevel() {
        return julLevel;
    }

    /**
     * @return the framework properties that set the bundles' own levels: SCR ({@code ds.loglevel}), FileInstall,
     *         Config Admin and the Felix framework (1 error to 4 debug), the OSGi Log Service's root logger
     */
    Map<String, Object> frameworkProperties() {
        Map<String, Object> properties = new HashMap<>();
        properties.put("ds.loglevel", scrLevel);
        properties.put("felix.fileinstall.log.level", Integer.toString(felixLevel));
        properties.put("felix.cm.loglevel", Integer.toString(Math.min(felixLevel, CONFIG_ADMIN_MAX_LEVEL)));
        properties.put("felix.log.level", Integer.toString(felixLevel));
        if (osgiLevel != null) {
            properties.put(OSGI_LOG_ADMIN_LEVEL, osgiLevel);
        }
        return properties;
    }

    /** @return the names {@code --log-level} accepts, lower case */
    static String names() {
        return String.join(", ", Arrays.stream(values()).map(l -> l.name().toLowerCase(Locale.ROOT)).toList());
    }

    /**
     * @throws IllegalArgumentException naming {@code --log-level}, the value and the allowed ones
     */
    static LogLevel parse(String value) {
        String name = value.strip().toUpperCase(Locale.ROOT);
        if (name.equals("WARN")) {
            return WARNING;
        }
        return Arrays.stream(values()).filter(l -> l.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("--log-level '" + value + "': not a level; give one of "
                        + names()));
    }
}
