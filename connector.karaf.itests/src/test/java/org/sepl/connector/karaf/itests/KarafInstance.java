package org.sepl.connector.karaf.itests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One Apache Karaf, as a user installs it: a copy of the distribution unpacked by the build (from Maven Central),
 * with the project's bundles and features file in its {@code system/} repository (the Maven-layout directory
 * connector.features builds, so no {@code mvn install} is needed), the {@code karaf} console user enabled, and
 * every port on a free loopback port. Driven as a user drives it: {@code bin/karaf server}, {@code bin/client},
 * {@code bin/stop}, and configuration files in {@code etc/}.
 */
final class KarafInstance implements AutoCloseable {

    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    private final Path home;
    private final int sshPort;
    private final int rmiRegistryPort;
    private Process process;

    private KarafInstance(Path home, int sshPort, int rmiRegistryPort) {
        this.home = home;
        this.sshPort = sshPort;
        this.rmiRegistryPort = rmiRegistryPort;
    }

    /**
     * Copies the distribution to a new directory {@code name-TIME} under {@code karaf.instances} (never one a Karaf
     * of an earlier run may still use), adds our repository to its {@code system/} and configures it.
     */
    static KarafInstance create(String name) throws IOException {
        Path distribution = Path.of(property("karaf.distribution"));
        Path home = Path.of(property("karaf.instances")).resolve(name + "-" + System.currentTimeMillis());
        copyTree(distribution, home);
        // our bundles (and the features file, under the name mvn:...:xml:features resolves to) as Karaf's own
        copyTree(Path.of(property("sepl.repository")), home.resolve("system"));
        String version = property("sepl.version");
        Path features = home.resolve("system/org/sepl/connector/connector.features/" + version
                + "/connector.features-" + version + "-features.xml");
        Files.createDirectories(features.getParent());
        Files.copy(Path.of(property("sepl.features")), features, StandardCopyOption.REPLACE_EXISTING);

        int sshPort = freePort();
        edit(home.resolve("etc/users.properties"), Map.of("#karaf = karaf,_g_:admingroup", "karaf = karaf,_g_:admingroup",
                "#_g_\\:admingroup", "_g_\\:admingroup"));
        edit(home.resolve("etc/org.apache.karaf.shell.cfg"),
                Map.of("sshPort = 8101", "sshPort = " + sshPort, "sshHost = 0.0.0.0", "sshHost = 127.0.0.1"));
        int rmiRegistryPort = freePort();
        edit(home.resolve("etc/org.apache.karaf.management.cfg"), Map.of("rmiRegistryPort = 1099",
                "rmiRegistryPort = " + rmiRegistryPort, "rmiServerPort = 44444", "rmiServerPort = " + freePort()));
        // What the features need besides our bundles (the scr feature) comes from the local Maven repository, or
        // from Maven Central on a machine that has not got it yet.
        Files.writeString(home.resolve("etc/org.ops4j.pax.url.mvn.cfg"), "\norg.ops4j.pax.url.mvn.localRepository="
                + property("maven.local.repository") + "\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.APPEND);
        for (String script : List.of("karaf", "client", "stop", "start", "status", "setenv", "inc", "shell")) {
            Path file = home.resolve("bin/" + script);
            if (Files.exists(file)) {
                Files.setPosixFilePermissions(file, EnumSet.of(PosixFilePermission.OWNER_READ,
                        PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE));
            }
        }
        return new KarafInstance(home, sshPort, rmiRegistryPort);
    }

    Path home() {
        return home;
    }

    /** @return Karaf's JMX connector (user karaf, password karaf), as jconsole connects to it */
    String jmxUrl() {
        return "service:jmx:rmi:///jndi/rmi://127.0.0.1:" + rmiRegistryPort + "/karaf-root";
    }

    /** Starts {@code bin/karaf server}; returns at once (use {@link #client} to wait for the console). */
    void start() throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("Karaf already running in " + home);
        }
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/karaf").toString(), "server").directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("console.log").toFile()));
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        process = builder.start();
    }

    /**
     * Runs console commands through {@code bin/client} (batch mode, one command a line), retrying the connection
     * while Karaf starts.
     *
     * @return what the commands printed
     * @throws AssertionError if the client fails or takes longer than two minutes
     */
    String client(String... commands) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/client").toString(), "-a",
                Integer.toString(sshPort), "-h", "127.0.0.1", "-u", "karaf", "-p", "karaf", "-r", "120", "-d", "1", "-b"));
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true);
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process client = builder.start();
        client.getOutputStream().write((String.join("\n", commands) + "\n").getBytes(StandardCharsets.UTF_8));
        client.getOutputStream().close();
        byte[] output = client.getInputStream().readAllBytes();
        if (!client.waitFor(CLIENT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            client.destroyForcibly();
            throw new AssertionError("bin/client did not finish in " + CLIENT_TIMEOUT + ": " + List.of(commands));
        }
        String text = new String(output, StandardCharsets.UTF_8);
        if (client.exitValue() != 0) {
            throw new AssertionError("bin/client " + List.of(commands) + " exited with " + client.exitValue() + ":\n" + text);
        }
        return text;
    }

    /** Writes {@code etc/NAME} atomically (so Karaf never reads half a file). */
    void writeEtc(String name, String content) throws IOException {
        Path target = home.resolve("etc").resolve(name);
        Path temporary = home.resolve(name + ".tmp");
        Files.writeString(temporary, content, StandardCharsets.UTF_8);
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    void deleteEtc(String name) throws IOException {
        Files.deleteIfExists(home.resolve("etc").resolve(name));
    }

    /** {@code bin/stop}, then waits for the Karaf process to end. */
    void stop() throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/stop").toString()).directory(home.toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("stop.log").toFile()));
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process stop = builder.start();
        if (!stop.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS) || stop.exitValue() != 0) {
            throw new AssertionError("bin/stop failed; see " + home.resolve("stop.log"));
        }
        if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            throw new AssertionError("Karaf still running " + STOP_TIMEOUT + " after bin/stop");
        }
    }

    boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Kills what is left (a failed test): Karaf's JVM and the script that started it. */
    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    private static String property(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank() || value.startsWith("${")) {
            throw new IllegalStateException("system property " + name
                    + " is not set; run the tests through Maven (mvn verify -pl connector.karaf.itests -am)");
        }
        return value;
    }

    /** @return a port the OS says is free now (Karaf binds it a moment later) */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Replaces each key's text by its value; fails if a text is not there (Karaf changed its defaults). */
    private static void edit(Path file, Map<String, String> replacements) throws IOException {
        String text = Files.readString(file, StandardCharsets.ISO_8859_1);
        for (Map.Entry<String, String> r : replacements.entrySet()) {
            if (!text.contains(r.getKey())) {
                throw new IllegalStateException(file + " has no '" + r.getKey() + "'");
            }
            text = text.replace(r.getKey(), r.getValue());
        }
        Files.writeString(file, text, StandardCharsets.ISO_8859_1);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            paths.forEach(source -> {
                Path target = to.resolve(from.relativize(source).toString());
                try {
                    if (Files.isDirectory(source)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
