package org.sepl.connector.store.sqlite;

import java.sql.Connection;
import java.sql.SQLException;

/** Work on a store's connection, run by the thread that owns it (tests: a size limit as a small disk would set). */
interface SqlWork {
    void run(Connection connection) throws SQLException;
}
