package org.sepl.connector.store.sqlite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Moves a database file that cannot be used any more out of the way, with its write-ahead log and shared-memory
 * files, under one new name in the same directory: {@code outbox.db} becomes {@code outbox.db.damaged-20261205T031800Z}
 * (and {@code outbox.db.damaged-20261205T031800Z-wal}, {@code -shm}, so that {@code sqlite3} opens them together).
 * Nothing is deleted: the files are kept for inspection or repair ({@code sqlite3 FILE .recover}).
 */
final class SetAside {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    /** SQLite's companion files of a database in WAL mode, by suffix. */
    private static final List<String> COMPANIONS = List.of("-wal", "-shm", "-journal");

    private SetAside() {
    }

    /**
     * Moves {@code database} and its companions aside.
     *
     * @param now names the moved files (a second move in the same second gets {@code -2}, {@code -3}, ...)
     * @return the database's new path
     * @throws IOException if it could not be moved (then it is where it was; companions may have moved already)
     */
    static Path move(Path database, Instant now) throws IOException {
        String base = database.getFileName() + ".damaged-" + STAMP.format(now.truncatedTo(ChronoUnit.SECONDS));
        Path target = database.resolveSibling(base);
        for (int n = 2; exists(target); n++) {
            target = database.resolveSibling(base + "-" + n);
        }
        // the log first: a log left beside a fresh database would be replayed into it
        for (String suffix : COMPANIONS) {
            Path companion = database.resolveSibling(database.getFileName() + suffix);
            if (Files.exists(companion)) {
                Files.move(companion, target.resolveSibling(target.getFileName() + suffix), StandardCopyOption.ATOMIC_MOVE);
            }
        }
        if (Files.exists(database) || Files.isSymbolicLink(database)) {
            Files.move(database, target, StandardCopyOption.ATOMIC_MOVE);
        }
        return target;
    }

    private static boolean exists(Path target) {
        if (Files.exists(target)) {
            return true;
        }
        for (String suffix : COMPANIONS) {
            if (Files.exists(target.resolveSibling(target.getFileName() + suffix))) {
                return true;
            }
        }
        return false;
    }
}
