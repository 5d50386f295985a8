package org.sepl.connector.deb;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.apache.commons.compress.archivers.ar.ArArchiveEntry;
import org.apache.commons.compress.archivers.ar.ArArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.CompressorException;
import org.apache.commons.compress.compressors.CompressorStreamFactory;

/**
 * A {@code .deb} read as dpkg reads it: an ar archive of {@code debian-binary}, {@code control.tar.*} and
 * {@code data.tar.*}. Paths without the leading {@code ./}; directories end with {@code /}.
 */
final class DebPackage {

    /** One entry of the control or the data archive. */
    record Entry(String path, boolean directory, int mode, String user, String group, long size, byte[] content) {

        /** {@code -rwxr-xr-x root:root}, as {@code ls -l} and {@code dpkg-deb -c} show it. */
        String modeAndOwner() {
            StringBuilder text = new StringBuilder(directory ? "d" : "-");
            String letters = "rwxrwxrwx";
            for (int bit = 8; bit >= 0; bit--) {
                text.append((mode & (1 << bit)) != 0 ? letters.charAt(8 - bit) : '-');
            }
            return text + " " + user + ":" + group;
        }
    }

    private final Map<String, Entry> control;
    private final Map<String, Entry> data;

    private DebPackage(Map<String, Entry> control, Map<String, Entry> data) {
        this.control = control;
        this.data = data;
    }

    static DebPackage read(Path deb) throws IOException {
        Map<String, Entry> control = null;
        Map<String, Entry> data = null;
        try (ArArchiveInputStream ar = new ArArchiveInputStream(new BufferedInputStream(Files.newInputStream(deb)))) {
            for (ArArchiveEntry member; (member = ar.getNextEntry()) != null;) {
                byte[] bytes = ar.readAllBytes();
                if (member.getName().startsWith("control.tar")) {
                    control = tar(bytes);
                } else if (member.getName().startsWith("data.tar")) {
                    data = tar(bytes);
                }
            }
        }
        if (control == null || data == null) {
            throw new IOException(deb + " lacks control.tar or data.tar");
        }
        return new DebPackage(control, data);
    }

    private static Map<String, Entry> tar(byte[] compressed) throws IOException {
        Map<String, Entry> entries = new LinkedHashMap<>();
        try (InputStream plain = new CompressorStreamFactory().createCompressorInputStream(
                new BufferedInputStream(new ByteArrayInputStream(compressed)));
                TarArchiveInputStream tar = new TarArchiveInputStream(plain)) {
            for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null;) {
                String path = entry.getName().replaceFirst("^\\./", "");
                if (path.isEmpty()) {
                    continue;
                }
                entries.put(path, new Entry(path, entry.isDirectory(), entry.getMode() & 07777, entry.getUserName(),
                        entry.getGroupName(), entry.getSize(), entry.isDirectory() ? new byte[0] : tar.readAllBytes()));
            }
        } catch (CompressorException e) {
            throw new IOException(e);
        }
        return entries;
    }

    Map<String, Entry> data() {
        return data;
    }

    Entry controlEntry(String name) {
        Entry entry = control.get(name);
        if (entry == null) {
            throw new AssertionError("no " + name + " in control.tar: " + control.keySet());
        }
        return entry;
    }

    /** A file of the control archive, as text. */
    String control(String name) {
        return new String(controlEntry(name).content(), StandardCharsets.UTF_8);
    }

    /** The fields of {@code control}; continuation lines are joined. */
    Map<String, String> controlFields() {
        Map<String, String> fields = new LinkedHashMap<>();
        String last = null;
        for (String line : control("control").lines().toList()) {
            if (line.startsWith(" ") && last != null) {
                fields.put(last, fields.get(last) + "\n" + line.strip());
            } else if (line.contains(":")) {
                last = line.substring(0, line.indexOf(':'));
                fields.put(last, line.substring(line.indexOf(':') + 1).strip());
            }
        }
        return fields;
    }

    /** A file of the data archive, as text. */
    String text(String path) {
        Entry entry = data.get(path);
        if (entry == null) {
            throw new AssertionError("no " + path + " in data.tar");
        }
        return new String(entry.content(), StandardCharsets.UTF_8);
    }

    /** Writes the data archive's files under {@code root} with their modes, as {@code dpkg -x} does. */
    Path extract(Path root) throws IOException {
        for (Entry entry : data.values()) {
            Path target = root.resolve(entry.path());
            if (entry.directory()) {
                Files.createDirectories(target);
            } else {
                Files.createDirectories(target.getParent());
                Files.write(target, entry.content());
                Set<PosixFilePermission> permissions = java.nio.file.attribute.PosixFilePermissions.fromString(
                        entry.modeAndOwner().substring(1, 10));
                Files.setPosixFilePermissions(target, permissions);
            }
        }
        return root;
    }
}
