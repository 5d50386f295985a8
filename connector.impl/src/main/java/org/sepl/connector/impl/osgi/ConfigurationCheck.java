package org.sepl.connector.impl.osgi;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.sepl.connector.impl.ratelimit.RateLimitSettings;

/**
 * Checks the raw values of a configuration before Declarative Services coerces them: a {@code port=eighty} or an
 * {@code encryption=maybe} is named with the property, the bad value and what is allowed, instead of a
 * NumberFormatException trace or a silent {@code false}. The properties and their types come from
 * {@link ClientConfiguration}, so the list is not kept twice; ranges are checked afterwards by
 * {@link org.sepl.connector.impl.ClientSettings}, except those of the rate limit, which are checked here (with
 * {@link RateLimitSettings}, the builder's wording) because they are not part of it.
 */
final class ConfigurationCheck {

    private ConfigurationCheck() {
    }

    /** @return one message per invalid property (empty if all are usable); never shows a password's value */
    static List<String> problems(Map<String, ?> properties) {
        List<String> problems = new ArrayList<>();
        for (Method m : ClientConfiguration.class.getDeclaredMethods()) {
            String property = m.getName().startsWith("_") ? "." + m.getName().substring(1) : m.getName();
            Object value = properties.get(property);
            if (value == null) {
                continue; // the default applies, or the required-check of ClientSettings reports it
            }
            Class<?> type = m.getReturnType();
            String shown = property.startsWith(".") ? "(hidden)" : "\"" + value + "\"";
            if (property.equals(RateLimitSettings.AVERAGE)) {
                Double average = number(value);
                if (average == null || !RateLimitSettings.averageAllowed(average)) {
                    problems.add("property '" + property + "' = " + shown + ": " + RateLimitSettings.AVERAGE_ALLOWED);
                }
            } else if (property.equals(RateLimitSettings.BURST)) {
                if (!isWholeNumber(value, true) || !RateLimitSettings.burstAllowed(Long.parseLong(String.valueOf(value).trim()))) {
                    problems.add("property '" + property + "' = " + shown + ": " + RateLimitSettings.BURST_ALLOWED);
                }
            } else if ((type == int.class || type == long.class) && !isWholeNumber(value, type == int.class)) {
                problems.add("property '" + property + "' = " + shown + ": must be a whole number"
                        + (property.equals("port") ? " between 1 and 65535" : ""));
            } else if (type == double.class && number(value) == null) {
                problems.add("property '" + property + "' = " + shown + ": must be a number");
            } else if (type == boolean.class && !(value instanceof Boolean)
                    && !List.of("true", "false").contains(String.valueOf(value).trim().toLowerCase(Locale.ROOT))) {
                problems.add("property '" + property + "' = " + shown + ": must be true or false");
            }
        }
        return problems;
    }

    /** @return the value as Config Admin or FileInstall may give a number ({@code 2.5}, {@code "2.5"}), or null */
    private static Double number(Object value) {
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        try {
            return Double.valueOf(String.valueOf(value).trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static boolean isWholeNumber(Object value, boolean asInt) {
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            long v = ((Number) value).longValue();
            return !asInt || (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE);
        }
        try {
            String text = String.valueOf(value).trim();
            if (asInt) {
                Integer.parseInt(text);
            } else {
                Long.parseLong(text);
            }
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
