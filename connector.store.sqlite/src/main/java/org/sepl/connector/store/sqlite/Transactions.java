package org.sepl.connector.store.sqlite;

import java.sql.SQLException;
import java.sql.Statement;

/**
 * Transactions begun, committed and rolled back by statement, on a connection left in the driver's auto-commit mode,
 * so that after any failure the state is known: no transaction open.
 * <p>
 * Why not the driver's {@code setAutoCommit(false)}, {@code commit()}, {@code rollback()}: SQLite may roll a
 * transaction back by itself when a write fails (a full disk, an I/O error); the driver's {@code rollback()} then
 * fails ("no transaction is active") before it begins its next transaction, and from then on the driver believes a
 * transaction is open while every statement commits on its own and every {@code commit()} fails. A store in that state
 * never stores anything again, even once the disk has room.
 */
final class Transactions {

    private Transactions() {
    }

    /** Begins a transaction that writes (takes the write lock now, not at its first write). */
    static void begin(Statement s) throws SQLException {
        s.execute("BEGIN IMMEDIATE");
    }

    static void commit(Statement s) throws SQLException {
        s.execute("COMMIT");
    }

    /**
     * Rolls back whatever is open; a transaction SQLite has rolled back already is fine.
     *
     * @return the failure of the rollback, or null: also null when there was nothing to roll back
     */
    static SQLException rollback(Statement s) {
        try {
            s.execute("ROLLBACK");
            return null;
        } catch (SQLException e) {
            String text = String.valueOf(e.getMessage());
            return text.contains("no transaction is active") ? null : e;
        }
    }
}
