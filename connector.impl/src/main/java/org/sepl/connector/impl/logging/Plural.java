package org.sepl.connector.impl.logging;

import java.util.Locale;

/** Counts for humans: "1 device", "10,000 devices". */
public final class Plural {

    private Plural() {
    }

    /** @param noun the singular; the plural adds "s" */
    public static String of(long count, String noun) {
        return String.format(Locale.ROOT, "%,d %s", count, count == 1 ? noun : noun + "s");
    }
}
