package org.sepl.connector.store.sqlite;

import java.nio.file.Path;

/**
 * A store's file was refused at open: which file, and what is wrong with it. The message names the file and says
 * what to do; nothing was written to the file.
 */
final class RefusedFileException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /** What is wrong with the file. */
    enum Problem {
        /** SQLite found it damaged (failed {@code quick_check}, corrupt pages), or its header is zeros or cut off. */
        DAMAGED(true),
        /** It could not be read (an I/O error, no permission). */
        UNREADABLE(true),
        /** It is something else than a SQLite database (left alone: the path may name the wrong file). */
        NOT_SQLITE(false),
        /** It is another application's database, or this bundle's other store. */
        FOREIGN(false),
        /** It was written by a newer version of this bundle. */
        NEWER_SCHEMA(false),
        /** Another process (or another store in this JVM) has it open. */
        IN_USE(false);

        private final boolean lost;

        Problem(boolean lost) {
            this.lost = lost;
        }

        /**
         * @return whether the file cannot be used again as it is (damaged or unreadable), so that a store that may
         *         start empty sets it aside; the others are a configuration or deployment mistake, or a file that is
         *         fine but not for this code, and are never moved
         */
        boolean lost() {
            return lost;
        }
    }

    private final transient Path file;
    private final Problem problem;

    RefusedFileException(Path file, Problem problem, String message, Throwable cause) {
        super(message, cause);
        this.file = file;
        this.problem = problem;
    }

    Path file() {
        return file;
    }

    Problem problem() {
        return problem;
    }
}
