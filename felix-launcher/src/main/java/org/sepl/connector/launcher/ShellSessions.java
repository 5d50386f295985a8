package org.sepl.connector.launcher;

import java.io.InputStream;
import java.io.OutputStream;

/**
 * Runs Gogo shell sessions of the framework on given streams, for {@link ShellSocket}.
 * <p>
 * The implementation ({@value #IMPLEMENTATION}) runs on the classes of the framework's own Gogo runtime bundle,
 * loaded by {@link BundleSideClassLoader}: the launcher does not export Gogo's API from its class path (that would
 * split the runtime's classes in two). Only this interface and JDK types cross between the two.
 */
public interface ShellSessions {

    /** Name of the implementation, loaded with {@link BundleSideClassLoader}. */
    String IMPLEMENTATION = BundleSideClassLoader.GOGO + ".GogoShellSessions";

    /**
     * Runs one session of {@code commandProcessor} (the framework's {@code CommandProcessor} service) on the streams
     * and returns when it ends: an interactive shell, as Gogo's own {@code telnetd} gives (the login profile, the
     * prompt, until the input ends) if {@code commandLine} is empty; else that one command line, its result
     * formatted as the shell prints it (a failure as {@code gogo: EXCEPTION: message}).
     */
    void run(Object commandProcessor, String commandLine, InputStream in, OutputStream out);
}
