package org.sepl.connector.impl.settings;

import java.util.List;

/**
 * Settings that cannot be used: every problem, each naming the property, its value (never a secret's) and what is
 * allowed.
 */
public final class InvalidSettingsException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final transient List<String> problems;

    InvalidSettingsException(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    /** @return one line per problem, e.g. {@code property 'port' = "eighty": must be a whole number between 1 and 65535} */
    public List<String> problems() {
        return problems;
    }
}
