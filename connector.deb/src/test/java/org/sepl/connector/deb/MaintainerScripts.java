package org.sepl.connector.deb;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the package's maintainer scripts with {@code /bin/sh} as dpkg would call them, but with every program they
 * call (adduser, chown, rm, the systemd helpers, ...) replaced by a stand-in that only records its command line:
 * what the scripts would do to a machine, without doing it. {@code getent} answers as if the gateway's user did, or
 * did not, exist; {@code dpkg-statoverride} knows no override.
 */
final class MaintainerScripts {

    private static final List<String> RECORDED = List.of("adduser", "deluser", "delgroup", "mkdir", "chown", "chmod",
            "rm", "deb-systemd-helper", "deb-systemd-invoke", "systemctl");

    private final Path dir;
    private final Path bin;
    private final Path log;
    private final DebPackage deb;

    MaintainerScripts(Path dir, DebPackage deb) throws IOException {
        this.dir = dir;
        this.deb = deb;
        this.bin = Files.createDirectories(dir.resolve("stand-ins"));
        this.log = dir.resolve("commands.log");
        for (String program : RECORDED) {
            standIn(program, "echo \"" + program + " $*\" >> \"$STAND_IN_LOG\"");
        }
        standIn("getent", "[ \"$STAND_IN_USER_EXISTS\" = yes ]");
        standIn("dpkg-statoverride", "exit 1");
    }

    private void standIn(String program, String body) throws IOException {
        Path file = Files.writeString(bin.resolve(program), "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /**
     * @param userExists whether the gateway's user exists already (an upgrade, a purge)
     * @return the command lines the script ran, in order
     */
    List<String> run(String script, boolean userExists, String... arguments) throws IOException, InterruptedException {
        Path file = Files.writeString(dir.resolve(script), deb.control(script));
        Files.deleteIfExists(log);
        List<String> command = new ArrayList<>(List.of("/bin/sh", file.toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("PATH", bin.toString());
        builder.environment().put("STAND_IN_LOG", log.toString());
        builder.environment().put("STAND_IN_USER_EXISTS", userExists ? "yes" : "no");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), script + " " + String.join(" ", arguments) + " failed:\n" + output);
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }
}
