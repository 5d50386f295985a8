package org.sepl.connector.impl.osgi;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

import org.sepl.connector.impl.settings.InvalidSettingsException;

/**
 * Reports a client configuration that cannot be used: one ERROR line per problem, naming the configuration (and the
 * file it came from, when FileInstall read one), the property, the bad value (never a secret's), what is allowed,
 * and how the client comes up once it is corrected. No stack trace: the line is the message.
 */
final class ConfigurationProblems {

    private static final System.Logger LOG = System.getLogger(ConnectorClientComponent.class.getName());

    private ConfigurationProblems() {
    }

    /**
     * @param file FileInstall's {@code felix.fileinstall.filename} (a file URL or path), or null
     * @return the lines logged
     */
    static List<String> report(String pid, Object file, IllegalArgumentException problem) {
        List<String> problems = problem instanceof InvalidSettingsException invalid ? invalid.problems()
                : List.of(problem.getMessage());
        String where = file == null ? "Invalid configuration " + pid : "Invalid configuration " + pid + " in "
                + path(file);
        String fix = file == null ? "; the client stays down until the configuration is corrected"
                : "; the client stays down until the file is corrected (it is read again when saved)";
        List<String> lines = problems.stream().map(p -> where + ": " + p + fix).toList();
        lines.forEach(line -> LOG.log(System.Logger.Level.ERROR, line));
        return lines;
    }

    private static String path(Object file) {
        String text = String.valueOf(file);
        try {
            return text.startsWith("file:") ? Path.of(URI.create(text)).toString() : text;
        } catch (IllegalArgumentException e) {
            return text;
        }
    }
}
