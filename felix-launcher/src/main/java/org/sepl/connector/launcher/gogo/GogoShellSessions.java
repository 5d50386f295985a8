package org.sepl.connector.launcher.gogo;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;
import org.sepl.connector.launcher.ShellSessions;

/**
 * {@link ShellSessions} on the framework's Gogo runtime: the same session Gogo's {@code telnetd} gives
 * ({@code gosh --login --noshutdown} on the connection's streams), or one command line printed as Gogo's console
 * prints it. Loaded by the launcher's {@code BundleSideClassLoader} on top of the Gogo runtime bundle, never from the
 * launcher's own class path (the Gogo API comes from connector.features' runtime list at compile time).
 */
public final class GogoShellSessions implements ShellSessions {

    /** Gogo's interactive shell, as its telnetd starts it: the login profile, no framework stop at its end. */
    static final String INTERACTIVE = "gosh --login --noshutdown";

    @Override
    public void run(Object commandProcessor, String commandLine, InputStream in, OutputStream out) {
        CommandProcessor processor = (CommandProcessor) commandProcessor;
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        CommandSession session = processor.createSession(in, print, print);
        try {
            if (commandLine.isEmpty()) {
                session.execute(INTERACTIVE);
            } else {
                Object result = session.execute(commandLine);
                if (result != null) {
                    print.println(session.format(result, Converter.INSPECT));
                }
            }
        } catch (Exception e) {
            // as Gogo's console prints a failed command
            print.println("gogo: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        } finally {
            print.flush();
            session.close();
        }
    }
}
