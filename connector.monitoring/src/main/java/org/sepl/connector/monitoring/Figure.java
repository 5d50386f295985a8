package org.sepl.connector.monitoring;

import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;

import org.sepl.connector.api.ClientStatus;

/**
 * One figure of a client's {@link ClientStatus}, as every monitoring view shows it: JMX names it by {@link #name()}
 * (as {@link #attribute()}), Prometheus by its {@link #family()} and {@link #sample()} with an optional label
 * ({@link #labelName()}, {@link #labelValue()}), and both describe it with {@link #help()}.
 *
 * @param name       unique among the figures, lower case with underscores, e.g. {@code outbox_depth}
 * @param help       what it means, one sentence for people
 * @param type       how it behaves over time
 * @param family     the Prometheus metric family (without the common prefix): figures of one family are listed
 *                   together, under the first one's help
 * @param sample     the Prometheus sample name (without the prefix): the family's, or with {@code _sum}/{@code _count}
 *                   for a summary
 * @param labelName  a label that tells the samples of one family apart, or null
 * @param labelValue its value for this figure, or null
 * @param integral   whether the value is a whole number (JMX shows it as a {@code Long}, else a {@code Double})
 * @param value      the figure's value in a status, or null when the status has none (e.g. no outbox)
 */
public record Figure(String name, String help, Type type, String family, String sample, String labelName,
        String labelValue, boolean integral, Function<ClientStatus, Number> value) {

    /** How a figure behaves over time (Prometheus' metric types that the figures use). */
    public enum Type {
        /** Goes up and down. */
        GAUGE,
        /** Only goes up while the client lives (counted since the client was built). */
        COUNTER,
        /** Quantiles of recent observations, with their count and sum since the start. */
        SUMMARY;

        /** @return the type as Prometheus' {@code # TYPE} line writes it */
        public String prometheusName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");

    /** @throws IllegalArgumentException if a name is not lower case with underscores, or a label half given */
    public Figure {
        for (String n : new String[] { name, family, sample }) {
            if (n == null || !NAME.matcher(n).matches()) {
                throw new IllegalArgumentException("figure names are lower case letters, digits and _: '" + n + "'");
            }
        }
        Objects.requireNonNull(help, "help must not be null");
        Objects.requireNonNull(type, "type must not be null");
        Objects.requireNonNull(value, "value must not be null");
        if ((labelName == null) != (labelValue == null)) {
            throw new IllegalArgumentException("figure " + name + ": a label needs a name and a value");
        }
    }

    /** @return the value in {@code status} as a {@code Long} or {@code Double}, or null when it has none */
    public Number valueIn(ClientStatus status) {
        Number n = value.apply(status);
        if (n == null) {
            return null;
        }
        return integral ? (Number) n.longValue() : (Number) n.doubleValue();
    }

    /** @return the JMX attribute name: {@code outbox_depth} becomes {@code OutboxDepth} */
    public String attribute() {
        StringBuilder camel = new StringBuilder(name.length());
        for (String part : name.split("_")) {
            if (!part.isEmpty()) {
                camel.append(Character.toUpperCase(part.charAt(0))).append(part, 1, part.length());
            }
        }
        return camel.toString();
    }
}
