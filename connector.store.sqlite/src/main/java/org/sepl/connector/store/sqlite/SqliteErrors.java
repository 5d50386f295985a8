package org.sepl.connector.store.sqlite;

import java.sql.SQLException;

import org.sqlite.SQLiteException;

/** What a failure of SQLite means for a store: a full disk, a damaged file, or something else. */
final class SqliteErrors {

    /** SQLite's primary result codes (the low byte of an extended code). */
    private static final int SQLITE_CORRUPT = 11;
    private static final int SQLITE_FULL = 13;
    private static final int SQLITE_NOTADB = 26;

    private SqliteErrors() {
    }

    /**
     * @return whether SQLite said the disk (or the database's size limit) is full: {@code SQLITE_FULL}, "database or
     *         disk is full", anywhere in the causes
     */
    static boolean isDiskFull(Throwable failure) {
        return hasCode(failure, SQLITE_FULL);
    }

    /** @return whether SQLite found the file damaged: {@code SQLITE_CORRUPT} or {@code SQLITE_NOTADB} */
    static boolean isDamaged(Throwable failure) {
        return hasCode(failure, SQLITE_CORRUPT) || hasCode(failure, SQLITE_NOTADB);
    }

    private static boolean hasCode(Throwable failure, int primary) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException e) {
                for (SQLException s = e; s != null; s = s.getNextException()) {
                    if (primaryCode(s) == primary) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static int primaryCode(SQLException e) {
        if (e instanceof SQLiteException s && s.getResultCode() != null) {
            return s.getResultCode().code & 0xFF;
        }
        return e.getErrorCode() & 0xFF;
    }
}
