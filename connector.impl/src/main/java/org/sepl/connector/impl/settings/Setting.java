package org.sepl.connector.impl.settings;

import java.util.Locale;
import java.util.Objects;

/**
 * One setting of the client: its configuration property, type, default, allowed values and description. Every
 * setting is defined once, in {@link ClientSettings}; the builder, the OSGi metatype, the validation and the README's
 * table all read it from there.
 *
 * @param <T> the Java type of its value
 */
public final class Setting<T> {

    /** The kinds of value, as the metatype knows them. */
    public enum Type {
        STRING, PASSWORD, BOOLEAN, INTEGER, LONG, DOUBLE
    }

    private final String property;
    private final String label;
    private final Type type;
    private final T defaultValue;
    private final long min;
    private final long max;
    private final String allowed;
    private final String description;

    private Setting(String property, String label, Type type, T defaultValue, long min, long max, String allowed,
            String description) {
        this.property = property;
        this.label = label;
        this.type = type;
        this.defaultValue = defaultValue;
        this.min = min;
        this.max = max;
        this.allowed = allowed;
        this.description = description;
    }

    /** Text; {@code defaultValue} null: required. */
    static Setting<String> text(String property, String label, String defaultValue, String description) {
        return new Setting<>(property, label, Type.STRING, defaultValue, 0, 0, "must be text", description);
    }

    /** A secret: never shown, never logged; its property starts with a dot, so it never becomes a service property. */
    static Setting<String> password(String property, String label, String defaultValue, String description) {
        return new Setting<>(property, label, Type.PASSWORD, defaultValue, 0, 0, "must be text", description);
    }

    static Setting<Boolean> flag(String property, String label, boolean defaultValue, String description) {
        return new Setting<>(property, label, Type.BOOLEAN, defaultValue, 0, 0, "must be true or false", description);
    }

    /** A whole number in {@code [min, max]}; {@code defaultValue} null: required. */
    static Setting<Integer> whole(String property, String label, Integer defaultValue, int min, int max,
            String description) {
        String allowed = max == Integer.MAX_VALUE ? "must be a whole number, at least " + min
                : "must be a whole number between " + min + " and " + max;
        return new Setting<>(property, label, Type.INTEGER, defaultValue, min, max, allowed, description);
    }

    /** A time in milliseconds, at least 1. */
    static Setting<Long> millis(String property, String label, long defaultValue, String description) {
        return new Setting<>(property, label, Type.LONG, defaultValue, 1, Long.MAX_VALUE,
                "must be a whole number of milliseconds, at least 1", description);
    }

    /** A finite decimal number of at least {@code min}. */
    static Setting<Double> decimal(String property, String label, double defaultValue, long min, String allowed,
            String description) {
        return new Setting<>(property, label, Type.DOUBLE, defaultValue, min, Long.MAX_VALUE, allowed, description);
    }

    /** @return the configuration property, e.g. {@code requestTimeoutMillis} */
    public String property() {
        return property;
    }

    /** @return a short name for forms (the Web Console) */
    public String label() {
        return label;
    }

    public Type type() {
        return type;
    }

    /** @return the default, or null if the setting is required */
    public T defaultValue() {
        return defaultValue;
    }

    public boolean required() {
        return defaultValue == null;
    }

    /** @return the smallest allowed value of a number */
    public long min() {
        return min;
    }

    /** @return the largest allowed value of a whole number */
    public long max() {
        return max;
    }

    /** @return what is allowed, as the error messages say it ("must be ...") */
    public String allowed() {
        return allowed;
    }

    public String description() {
        return description;
    }

    /** @return whether its value is a secret (shown as "(hidden)") */
    public boolean secret() {
        return type == Type.PASSWORD;
    }

    /**
     * Reads a configuration value as Config Admin, FileInstall ({@code .cfg}: strings) or the builder give it.
     *
     * @throws IllegalArgumentException saying what is allowed (the caller adds the property and the value)
     */
    @SuppressWarnings("unchecked")
    T parse(Object raw) {
        Objects.requireNonNull(raw);
        Object value = switch (type) {
            case STRING, PASSWORD -> raw instanceof String s ? s : fail();
            case BOOLEAN -> bool(raw);
            case INTEGER -> {
                long v = whole(raw);
                yield v < Integer.MIN_VALUE || v > Integer.MAX_VALUE ? fail() : (int) v;
            }
            case LONG -> whole(raw);
            case DOUBLE -> decimal(raw);
        };
        if (value instanceof Number n && (n.doubleValue() < min || (type != Type.DOUBLE && n.longValue() > max))) {
            fail();
        }
        return (T) value;
    }

    private Object fail() {
        throw new IllegalArgumentException(allowed);
    }

    private Boolean bool(Object raw) {
        if (raw instanceof Boolean b) {
            return b;
        }
        String text = String.valueOf(raw).trim().toLowerCase(Locale.ROOT);
        if (text.equals("true") || text.equals("false")) {
            return Boolean.valueOf(text);
        }
        fail();
        return null;
    }

    private long whole(Object raw) {
        if (raw instanceof Integer || raw instanceof Long || raw instanceof Short || raw instanceof Byte) {
            return ((Number) raw).longValue();
        }
        try {
            return Long.parseLong(String.valueOf(raw).trim());
        } catch (NumberFormatException e) {
            fail();
            return 0;
        }
    }

    private double decimal(Object raw) {
        double d;
        if (raw instanceof Number n) {
            d = n.doubleValue();
        } else {
            try {
                d = Double.parseDouble(String.valueOf(raw).trim());
            } catch (NumberFormatException e) {
                fail();
                return 0;
            }
        }
        if (!Double.isFinite(d)) {
            fail();
        }
        return d;
    }

    /** @return how a value is shown in a message: quoted, or "(hidden)" for a secret */
    String show(Object raw) {
        return secret() ? "(hidden)" : "\"" + raw + "\"";
    }

    @Override
    public String toString() {
        return property;
    }
}
