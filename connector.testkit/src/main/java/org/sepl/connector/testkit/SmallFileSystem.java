package org.sepl.connector.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real file system of a given size that a test mounts on a directory and can grow: a tmpfs, for a store that meets
 * a full disk. Mounting needs root (Linux); without it, {@link #isMounted()} is false and {@link #whyNot()} says why,
 * for {@code assumeTrue(fs.isMounted(), fs.whyNot())}. {@link #close()} unmounts it.
 */
public final class SmallFileSystem implements AutoCloseable {

    private final Path dir;
    private final String whyNot;

    private SmallFileSystem(Path dir, String whyNot) {
        this.dir = dir;
        this.whyNot = whyNot;
    }

    /** Mounts a tmpfs of {@code size} ({@code mount}'s syntax: {@code 1536k}, {@code 64m}) on the directory {@code dir}. */
    public static SmallFileSystem mount(Path dir, String size) throws InterruptedException {
        String failed = run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.toString());
        return new SmallFileSystem(dir, failed == null ? null : "needs a tmpfs mount (root): " + failed);
    }

    /** @return whether the file system is mounted */
    public boolean isMounted() {
        return whyNot == null;
    }

    /** @return why it could not be mounted, or null if it is */
    public String whyNot() {
        return whyNot;
    }

    /** @return the directory it is mounted on */
    public Path dir() {
        return dir;
    }

    /** Gives it a new size, keeping what it holds: as when something else on the gateway frees space. */
    public void grow(String size) throws InterruptedException {
        String failed = run("mount", "-o", "remount,size=" + size, dir.toString());
        if (failed != null) {
            throw new IllegalStateException("cannot grow " + dir + " to " + size + ": " + failed);
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (isMounted()) {
            String failed = run("umount", dir.toString());
            if (failed != null) {
                throw new IllegalStateException("cannot unmount " + dir + ": " + failed);
            }
        }
    }

    /** @return null if the command succeeded, else what it said */
    private static String run(String... command) throws InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return String.join(" ", command) + ": timed out";
            }
            return p.exitValue() == 0 ? null : String.join(" ", command) + ": exit " + p.exitValue() + ": " + out;
        } catch (IOException e) {
            return String.join(" ", command) + ": " + e;
        }
    }
}
