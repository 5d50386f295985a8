package org.sepl.connector.deb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Debian package the build made, as far as this machine can check it without installing it: its files with
 * their modes and owners, its control fields and conffiles, the systemd unit (its settings, every launcher flag it
 * passes, and {@code systemd-analyze verify} when present), the maintainer scripts ({@code sh -n}, shellcheck when
 * present, and run against recording stand-ins for adduser, chown and the rest: user created on installation, kept on
 * upgrade, removed with the data on purge).
 */
class DebianPackageIT {

    private static DebPackage deb;
    private static Path debFile;

    @TempDir
    Path dir;

    @BeforeAll
    static void readPackage() throws IOException {
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("deb.directory", "target")))) {
            debFile = files.filter(f -> f.getFileName().toString().matches("sepl-connector_.*_all\\.deb")).findFirst()
                    .orElseThrow(() -> new AssertionError("no sepl-connector_*_all.deb in target"));
        }
        deb = DebPackage.read(debFile);
    }

    @Test
    void filesModesAndOwners() {
        Map<String, String> expected = new TreeMap<>(Map.of(
                "usr/share/sepl-connector/felix-launcher.jar", "-rw-r--r-- root:root",
                "usr/bin/sepl-connector", "-rwxr-xr-x root:root",
                "lib/systemd/system/sepl-connector.service", "-rw-r--r-- root:root",
                "etc/default/sepl-connector", "-rw-r--r-- root:root",
                "etc/sepl-connector/", "drwxr-xr-x root:root",
                "etc/sepl-connector/secrets/", "drwxr-x--- root:root",
                "usr/share/doc/sepl-connector/DEPLOYMENT.md", "-rw-r--r-- root:root",
                "usr/share/doc/sepl-connector/copyright", "-rw-r--r-- root:root",
                "usr/share/doc/sepl-connector/examples/org.sepl.connector.client.cfg", "-rw-r--r-- root:root"));
        Map<String, String> files = new TreeMap<>();
        deb.data().forEach((path, entry) -> {
            if (!entry.directory() || path.startsWith("etc/sepl-connector")) {
                files.put(path, entry.modeAndOwner());
            }
        });
        assertEquals(expected, files);
        assertTrue(deb.data().values().stream().filter(DebPackage.Entry::directory)
                .allMatch(d -> d.modeAndOwner().equals("drwxr-xr-x root:root") || d.path().startsWith("etc/sepl-connector")),
                "other directories are the usual ones: " + deb.data());
        assertFalse(deb.data().keySet().stream().anyMatch(p -> p.startsWith("var/")),
                "the data directory is the user's, made by postinst, never a file of the package");
        assertTrue(deb.data().get("usr/share/sepl-connector/felix-launcher.jar").size() > 1_000_000,
                "the launcher jar with its bundles");
    }

    @Test
    void controlFieldsAndConffiles() {
        Map<String, String> control = deb.controlFields();
        assertEquals("sepl-connector", control.get("Package"));
        assertEquals("all", control.get("Architecture"));
        assertTrue(control.get("Version").matches("\\d+\\.\\d+\\.\\d+(~\\d+)?"), control.get("Version"));
        assertTrue(control.get("Depends").contains("java17-runtime-headless")
                && control.get("Depends").contains("adduser"), control.get("Depends"));
        assertEquals(List.of("/etc/default/sepl-connector"), deb.control("conffiles").strip().lines().toList());
    }

    @Test
    void theUnitRunsTheGatewayAsItsOwnUserAndRestartsIt() throws Exception {
        Map<String, List<String>> unit = unitSettings(deb.text("lib/systemd/system/sepl-connector.service"));
        assertEquals(List.of("sepl-connector"), unit.get("User"));
        assertEquals(List.of("/var/lib/sepl-connector"), unit.get("WorkingDirectory"));
        assertEquals(List.of("sepl-connector"), unit.get("StateDirectory"));
        assertEquals(List.of("0700"), unit.get("StateDirectoryMode"));
        assertEquals(List.of("on-failure"), unit.get("Restart"));
        assertEquals(List.of("multi-user.target"), unit.get("WantedBy"));
        assertEquals(List.of("|/etc/sepl-connector/org.sepl.connector.client*.cfg",
                "|/etc/sepl-connector/org.sepl.connector.client*.config"), unit.get("ConditionPathExistsGlob"));
        String execStart = unit.get("ExecStart").get(0);
        assertTrue(execStart.startsWith("/usr/bin/sepl-connector --conf /etc/sepl-connector --secrets-dir "
                + "/etc/sepl-connector/secrets --log-file-count 0"), execStart);

        // every flag the unit passes is one the packaged launcher knows
        String help = run(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                System.getProperty("launcher.jar"), "--help"), 0);
        Matcher flag = Pattern.compile("--[a-z-]+").matcher(execStart);
        while (flag.find()) {
            assertTrue(Pattern.compile(Pattern.quote(flag.group()) + "[= \\]]").matcher(help).find(),
                    flag.group() + " is not a launcher flag:\n" + help);
        }
    }

    @Test
    void systemdAcceptsTheUnit() throws Exception {
        assumeTrue(onPath("systemd-analyze"), "systemd-analyze is not installed");
        Path root = deb.extract(dir.resolve("root"));
        // verify wants ExecStart's program to exist: the package's own, where it was extracted
        Path unit = dir.resolve("sepl-connector.service");
        Files.writeString(unit, Files.readString(root.resolve("lib/systemd/system/sepl-connector.service"))
                .replace("ExecStart=/usr/bin/sepl-connector", "ExecStart=" + root.resolve("usr/bin/sepl-connector")));
        assertEquals("", run(List.of("systemd-analyze", "verify", unit.toString()), 0).strip(),
                "systemd-analyze verify has remarks");
    }

    @Test
    void theScriptsAreValidShell() throws Exception {
        Path root = deb.extract(dir.resolve("root"));
        List<Path> scripts = new ArrayList<>(List.of(root.resolve("usr/bin/sepl-connector")));
        for (String name : List.of("postinst", "prerm", "postrm")) {
            scripts.add(Files.writeString(dir.resolve(name), deb.control(name)));
            assertTrue(deb.controlEntry(name).modeAndOwner().startsWith("-rwxr-xr-x"), name);
        }
        for (Path script : scripts) {
            assertTrue(Files.readString(script).startsWith("#!/bin/sh\n"), script.toString());
            run(List.of("/bin/sh", "-n", script.toString()), 0);
        }
        assumeTrue(onPath("shellcheck"), "shellcheck is not installed");
        List<String> shellcheck = new ArrayList<>(List.of("shellcheck", "--shell=sh"));
        scripts.forEach(s -> shellcheck.add(s.toString()));
        run(shellcheck, 0);
    }

    @Test
    void installationCreatesTheUserAndDirectoriesUpgradeKeepsThemPurgeRemovesAll() throws Exception {
        MaintainerScripts scripts = new MaintainerScripts(dir, deb);

        List<String> install = scripts.run("postinst", false, "configure");
        assertTrue(install.contains("adduser --system --group --quiet --home /var/lib/sepl-connector --no-create-home "
                + "--gecos SEPL connector gateway sepl-connector"), install.toString());
        assertTrue(install.contains("mkdir -p /var/lib/sepl-connector"), install.toString());
        assertTrue(install.containsAll(List.of("chown sepl-connector:sepl-connector /var/lib/sepl-connector",
                "chmod 0700 /var/lib/sepl-connector", "chown root:sepl-connector /etc/sepl-connector/secrets",
                "chmod 0750 /etc/sepl-connector/secrets")), install.toString());

        List<String> upgrade = scripts.run("postinst", true, "configure", "1.0.0~1");
        assertFalse(upgrade.stream().anyMatch(c -> c.startsWith("adduser") || c.startsWith("rm")),
                "an upgrade keeps the user and the data (gateway id):\n" + upgrade);
        assertFalse(scripts.run("prerm", true, "upgrade", "1.0.0~2").stream().anyMatch(c -> c.contains("stop")),
                "an upgrade does not stop the gateway before the files are replaced");

        List<String> remove = scripts.run("postrm", true, "remove");
        assertFalse(remove.stream().anyMatch(c -> c.startsWith("rm") || c.startsWith("deluser")),
                "remove keeps the data and the user:\n" + remove);

        List<String> purge = scripts.run("postrm", true, "purge");
        assertTrue(purge.contains("rm -rf /var/lib/sepl-connector /etc/sepl-connector"), purge.toString());
        assertTrue(purge.contains("deluser --system --quiet sepl-connector"), purge.toString());
    }

    private static Map<String, List<String>> unitSettings(String unit) {
        Map<String, List<String>> settings = new TreeMap<>();
        for (String line : unit.lines().toList()) {
            int equals = line.indexOf('=');
            if (!line.startsWith("#") && !line.startsWith("[") && equals > 0) {
                settings.computeIfAbsent(line.substring(0, equals), k -> new ArrayList<>())
                        .add(line.substring(equals + 1));
            }
        }
        return settings;
    }

    static boolean onPath(String program) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(d -> Files.isExecutable(Path.of(d, program)));
    }

    /** Runs a program, asserts its exit status, returns what it printed. */
    static String run(List<String> command, int expectedStatus) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(expectedStatus, process.waitFor(), String.join(" ", command) + ":\n" + output);
        return output;
    }

    static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}
