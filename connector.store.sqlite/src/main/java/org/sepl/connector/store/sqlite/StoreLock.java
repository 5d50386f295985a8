package org.sepl.connector.store.sqlite;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One user per store file: an exclusive lock on a file next to the database ({@code devices.db.lock},
 * {@code outbox.db.lock}), held for as long as the store is open. A second process, or a second store of the same file
 * in this JVM, is refused at open, and the first keeps its file to itself.
 * <p>
 * Why a lock file and not SQLite's {@code locking_mode=EXCLUSIVE}: the outbox reads on a second connection of its own,
 * which an exclusive connection would lock out; SQLite takes that lock only at the first write, so a second process
 * would open without complaint and fail later with "database is locked" after the busy timeout; and the lock file names
 * the process that holds it. The lock is the operating system's ({@link FileChannel#tryLock()}: {@code fcntl} on
 * Linux), so it goes with the process, also after a kill -9, and no stale lock is ever left behind; the file itself
 * stays (deleting lock files is racy). Not the database file itself: POSIX locks are per process, and closing any
 * descriptor of a file drops all of the process's locks on it, SQLite's own included.
 */
final class StoreLock implements AutoCloseable {

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private StoreLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /** @return the lock file of a database file */
    static Path lockFile(Path database) {
        return database.resolveSibling(database.getFileName() + ".lock");
    }

    /**
     * Takes the lock of {@code database}, or refuses.
     *
     * @param what names the store in messages ("outbox", "device database")
     * @throws RefusedFileException ({@link RefusedFileException.Problem#IN_USE}) naming the holder, if another
     *                              process or another store in this JVM holds it
     * @throws IllegalStateException if the lock file cannot be made
     */
    static StoreLock acquire(Path database, String what) {
        Path file = lockFile(database);
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                // not reading the file here: closing a second descriptor of it would drop this JVM's lock
                channel.close();
                throw inUse(database, what, file, "another store in this Java process", e);
            }
            if (lock == null) {
                channel.close();
                throw inUse(database, what, file, holder(file), null);
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(("pid " + ProcessHandle.current().pid() + "\n")
                    .getBytes(StandardCharsets.US_ASCII)), 0);
            return new StoreLock(file, channel, lock);
        } catch (IOException e) {
            SqliteFile.closeQuietly(channel);
            throw new IllegalStateException("cannot lock the " + what + " " + database + " (lock file " + file + "): "
                    + e.getMessage(), e);
        }
    }

    private static String holder(Path lockFile) {
        try {
            String text = Files.readString(lockFile, StandardCharsets.US_ASCII).trim();
            return text.matches("pid \\d{1,19}") ? "process " + text.substring(4) : "another process";
        } catch (IOException | RuntimeException e) {
            return "another process";
        }
    }

    private static RefusedFileException inUse(Path database, String what, Path lockFile, String holder, Throwable cause) {
        return new RefusedFileException(database, RefusedFileException.Problem.IN_USE, "the " + what + " " + database
                + " is in use by " + holder + " (it holds " + lockFile + "): a store file has one user at a time; "
                + "stop the other gateway, or give this one a file of its own", cause);
    }

    Path file() {
        return file;
    }

    /** Releases the lock (idempotent). */
    @Override
    public void close() {
        try {
            if (lock.isValid()) {
                lock.release();
            }
        } catch (IOException e) {
            // closing the channel releases it anyway
        }
        SqliteFile.closeQuietly(channel);
    }
}
