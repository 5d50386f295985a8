package org.sepl.connector.itests;

import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.IOException;
import java.io.UncheckedIOException;

import org.ops4j.pax.exam.Option;
import org.sepl.connector.emulator.PlatformEmulator;

/**
 * Runs the platform emulator in the test JVM, outside the OSGi framework, with its HTTP control on a free port of
 * 127.0.0.1; the in-framework tests drive it through that control ({@link PlatformControl}), because the emulator's
 * classes are not visible inside the framework.
 * <p>
 * Started from {@code @Configuration} (never from a static field: the test class is loaded again inside the
 * framework); the emulator lives as long as the test JVM. The accounts are local test fixtures: nothing is secret.
 */
final class PlatformBridge {

    static final String USER = "alice";
    static final String PASSWORD = "secret";
    static final String OTHER_USER = "bob";
    static final String OTHER_PASSWORD = "hunter2";

    private PlatformBridge() {
    }

    /**
     * Starts an emulator with two accounts ({@link #USER}, {@link #OTHER_USER}) and its HTTP control.
     *
     * @return the options that tell the framework (system properties) where both listen
     * @throws UncheckedIOException if the emulator cannot start
     */
    static Option start() {
        PlatformEmulator emulator;
        try {
            emulator = PlatformEmulator.builder().host("127.0.0.1").port(0).controlPort(0)
                    .user(USER, PASSWORD).user(OTHER_USER, OTHER_PASSWORD).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the platform emulator", e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(emulator::close, "itest-platform-shutdown"));
        return composite(
                systemProperty(PlatformControl.CONTROL_URI_PROPERTY)
                        .value("http://127.0.0.1:" + emulator.controlPort() + "/"),
                systemProperty(PlatformControl.PORT_PROPERTY).value(Integer.toString(emulator.port())));
    }
}
