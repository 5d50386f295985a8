package org.sepl.connector.launcher;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The gateway's data area, the framework cache {@code felix-cache/} of the working directory: Config Admin's
 * configurations, the gateway id, the device and outbox databases, the shell socket. It is owner-only (mode
 * {@code rwx------}: created so, and made so if an earlier launcher left it open to others), because a configuration
 * given on the command line holds the password as it was given; and one launcher at a time owns it, through a file
 * lock ({@value #LOCK_FILE}) held for as long as the process lives: two gateways on one device store and one outbox
 * would each send what the other sent.
 */
final class DataArea implements AutoCloseable {

    static final String LOCK_FILE = "launcher.lock";
    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private final Path directory;
    private final FileChannel channel;
    private final FileLock lock;
    private final String openedFrom;

    private DataArea(Path directory, FileChannel channel, FileLock lock, String openedFrom) {
        this.directory = directory;
        this.channel = channel;
        this.lock = lock;
        this.openedFrom = openedFrom;
    }

    /**
     * Creates the data area owner-only (or makes it so) and locks it. Logs nothing: it comes before the log is set
     * up, so that a refused launcher writes nothing (not even into the running one's log files).
     *
     * @throws GatewayStartException if another launcher holds the lock, naming it
     * @throws IOException           if the directory or the lock file cannot be made
     */
    static DataArea lock(Path directory) throws IOException {
        String openedFrom = makeOwnerOnly(directory);
        Path lockFile = directory.resolve(LOCK_FILE);
        FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            channel.close();
            throw new GatewayStartException("another launcher is running on " + directory.toAbsolutePath()
                    + " (it holds the lock " + lockFile.toAbsolutePath() + "); stop it first (java -jar "
                    + "felix-launcher.jar shell stop 0), or run this one in another working directory");
        }
        return new DataArea(directory, channel, lock, openedFrom);
    }

    /**
     * Creates {@code directory} with mode {@code rwx------}, or takes group's and others' rights from it.
     *
     * @return the permissions it had if they were changed ({@code rwxr-xr-x}), else null
     */
    static String makeOwnerOnly(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            try {
                Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } catch (UnsupportedOperationException e) {
                Files.createDirectories(directory); // not POSIX: the file system's own access rules apply
            }
            return null;
        }
        try {
            Set<PosixFilePermission> now = Files.getPosixFilePermissions(directory);
            if (!OWNER_ONLY.containsAll(now)) {
                Files.setPosixFilePermissions(directory, OWNER_ONLY);
                return PosixFilePermissions.toString(now);
            }
        } catch (UnsupportedOperationException e) {
            // not POSIX: the file system's own access rules apply
        }
        return null;
    }

    /** Logs that an earlier launcher's data area, open to other users, was made owner-only. */
    void logPermissionChange() {
        if (openedFrom != null) {
            System.getLogger(DataArea.class.getName()).log(System.Logger.Level.INFO, "Made " + directory.toAbsolutePath()
                    + " accessible to its owner only (it was " + openedFrom + "): it holds the configurations");
        }
    }

    /** @return the data area's directory */
    Path directory() {
        return directory;
    }

    /** Releases the lock (the process's end releases it too). */
    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
