package org.sepl.connector.impl.executor;

import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/** Makes a {@link UserCallbacks} with a clock, for tests in other packages. */
public final class UserCallbacksProbe {

    private UserCallbacksProbe() {
    }

    public static UserCallbacks over(Executor lane, LongSupplier nanoTime) {
        return new UserCallbacks(lane, nanoTime);
    }
}
