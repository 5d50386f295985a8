package org.sepl.connector.impl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A tmpfs of a given size a test mounts and grows (as root); null from {@link #mount} when that is not possible. */
final class SmallFileSystem implements AutoCloseable {

    final Path dir;

    private SmallFileSystem(Path dir) {
        this.dir = dir;
    }

    /** @return the mounted file system, or null (then {@code why[0]} says why) */
    static SmallFileSystem mount(Path dir, String size, String[] why) throws IOException, InterruptedException {
        String failed = run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.toString());
        if (failed != null) {
            why[0] = failed;
            return null;
        }
        return new SmallFileSystem(dir);
    }

    void grow(String size) throws IOException, InterruptedException {
        String failed = run("mount", "-o", "remount,size=" + size, dir.toString());
        if (failed != null) {
            throw new IllegalStateException("cannot grow " + dir + ": " + failed);
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        String failed = run("umount", dir.toString());
        if (failed != null) {
            throw new IllegalStateException("cannot unmount " + dir + ": " + failed);
        }
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            return e.toString();
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return "timed out";
        }
        return p.exitValue() == 0 ? null : "exit " + p.exitValue() + ": " + out;
    }
}
