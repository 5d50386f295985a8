package org.sepl.connector.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.ConsoleHandler;
import java.util.logging.FileHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Configures java.util.logging for the whole process: the console and a rotating file {@code gateway.N.log} (none when
 * the file count is 0: under systemd the console goes to the journal, which rotates it). Bundles that log through
 * {@code System.Logger} or java.util.logging, the launcher, and (through {@link OsgiLogBridge}) the OSGi Log Service
 * all end up there. When the console is systemd's journal, its lines carry their priority ({@link OneLineFormatter}).
 * <p>
 * A user who passes {@code -Djava.util.logging.config.file=...} keeps full control: then nothing is changed.
 */
final class LogSetup {

    private LogSetup() {
    }

    /**
     * @return the loggers whose level was set: the LogManager holds loggers weakly, so the caller keeps them
     *         reachable for as long as the settings should hold
     * @throws UncheckedIOException if the log directory or file cannot be created
     */
    static List<Logger> configure(Path logDir, long fileSize, int fileCount, LogLevel level) {
        if (System.getProperty("java.util.logging.config.file") != null
                || System.getProperty("java.util.logging.config.class") != null) {
            return List.of();
        }
        Logger root = Logger.getLogger("");
        for (Handler handler : root.getHandlers()) {
            root.removeHandler(handler);
        }
        ConsoleHandler console = new ConsoleHandler();
        console.setLevel(Level.ALL);
        console.setFormatter(new OneLineFormatter(Journal.isStandardError()));
        root.addHandler(console);
        root.setLevel(level.julLevel());
        List<Logger> configured = new ArrayList<>(List.of(root));
        if (level.julLevel().intValue() >= Level.INFO.intValue()) {
            // Noise unless debugging: framework events as log entries.
            configured.add(quiet("Events", Level.WARNING));
        } else {
            // Never below INFO, whatever the level: they would print passwords (see LogLevel).
            LogLevel.CAPPED_AT_INFO.forEach(name -> configured.add(quiet(name, Level.INFO)));
        }
        if (fileCount == 0) {
            return configured;
        }
        try {
            Files.createDirectories(logDir);
            FileHandler file = new FileHandler(logDir.resolve("gateway.%g.log").toString(),
                    fileSize > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) fileSize, fileCount, true);
            file.setLevel(Level.ALL);
            file.setFormatter(new OneLineFormatter());
            file.setEncoding("UTF-8");
            root.addHandler(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write log files in " + logDir.toAbsolutePath(), e);
        }
        return configured;
    }

    private static Logger quiet(String name, Level level) {
        Logger logger = Logger.getLogger(name);
        logger.setLevel(level);
        return logger;
    }
}
