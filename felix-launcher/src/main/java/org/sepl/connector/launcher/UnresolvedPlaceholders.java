package org.sepl.connector.launcher;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.Hashtable;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationPlugin;

/**
 * Says which placeholder of a configuration the interpolation plugin could not replace, and why, once per
 * configuration, property and placeholder: without it a missing environment variable or secrets file would reach
 * the client as the literal text {@code $[env:NAME]}, and the first sign would be the platform refusing the login.
 * A Config Admin plugin that only reads: ranked after every plugin that may change a configuration (OSGi Compendium
 * 104.9.3: above 1000), it sees what the component will see. A placeholder-like text is reported only if the stored
 * configuration holds it unescaped: a literal password that happens to contain {@code $[env:X]} (written
 * {@code \$[env:X]}) is never quoted in the log. It logs the placeholder, never a value.
 */
final class UnresolvedPlaceholders implements ConfigurationPlugin {

    /** Above 1000: called after the plugins that modify, and must not modify itself. */
    static final int RANKING = 2000;
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\[(env|secret|prop):([^\\];]*)[^\\]]*\\]");
    private static final System.Logger LOG = System.getLogger(UnresolvedPlaceholders.class.getName());

    private final BundleContext context;
    private final Path secretsDir;
    private final Set<String> reported = ConcurrentHashMap.newKeySet();

    private UnresolvedPlaceholders(BundleContext context, Path secretsDir) {
        this.context = context;
        this.secretsDir = secretsDir;
    }

    /** Registers the check as a {@link ConfigurationPlugin} service of {@code context}'s bundle. */
    static ServiceRegistration<ConfigurationPlugin> register(BundleContext context, Path secretsDir) {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(ConfigurationPlugin.CM_RANKING, RANKING);
        return context.registerService(ConfigurationPlugin.class, new UnresolvedPlaceholders(context, secretsDir),
                properties);
    }

    @Override
    public void modifyConfiguration(ServiceReference<?> reference, Dictionary<String, Object> properties) {
        Object pid = properties.get(Constants.SERVICE_PID);
        for (Enumeration<String> keys = properties.keys(); keys.hasMoreElements();) {
            String key = keys.nextElement();
            if (properties.get(key) instanceof String value) {
                Matcher placeholder = PLACEHOLDER.matcher(value);
                while (placeholder.find()) {
                    if (!reported.contains(pid + "\0" + key + "\0" + placeholder.group())
                            && storedUnescaped(pid, key, placeholder.group())
                            && reported.add(pid + "\0" + key + "\0" + placeholder.group())) {
                        LOG.log(System.Logger.Level.WARNING, "Configuration " + pid + ": property '" + key + "' keeps "
                                + placeholder.group() + " as it is: " + why(placeholder.group(1), placeholder.group(2)));
                    }
                }
            }
        }
    }

    /** @return whether the stored (not interpolated) value of {@code key} holds {@code placeholder} unescaped */
    private boolean storedUnescaped(Object pid, String key, String placeholder) {
        ServiceReference<ConfigurationAdmin> reference = context.getServiceReference(ConfigurationAdmin.class);
        ConfigurationAdmin admin = reference == null ? null : context.getService(reference);
        if (admin == null) {
            return false;
        }
        try {
            Configuration[] stored = admin.listConfigurations("(" + Constants.SERVICE_PID + "="
                    + String.valueOf(pid).replaceAll("([\\\\*()])", "\\\\$1") + ")");
            Dictionary<String, Object> properties = stored == null ? null : stored[0].getProperties();
            if (properties == null || !(properties.get(key) instanceof String raw)) {
                return false;
            }
            for (int at = raw.indexOf(placeholder); at >= 0; at = raw.indexOf(placeholder, at + 1)) {
                if (at == 0 || raw.charAt(at - 1) != '\\') {
                    return true;
                }
            }
            return false;
        } catch (IOException | InvalidSyntaxException e) {
            return false;
        } finally {
            context.ungetService(reference);
        }
    }

    private String why(String type, String name) {
        return switch (type) {
            case "env" -> "the gateway's environment has no variable " + name;
            case "secret" -> "no readable file " + name + " in the secrets directory " + secretsDir.toAbsolutePath()
                    + " (--secrets-dir)";
            default -> "no framework or system property " + name;
        };
    }
}
