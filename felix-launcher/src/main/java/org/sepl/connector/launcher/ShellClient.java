package org.sepl.connector.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code java -jar felix-launcher.jar status} and {@code shell [COMMAND...]}: asks the gateway running in the working
 * directory, through its {@link ShellSocket}, and copies the answer to standard output. Exit status 0 once the
 * gateway answered (what a command printed, errors included, is the gateway's answer), 1 if no gateway answers.
 */
final class ShellClient {

    private final Path socket;
    private final InputStream keyboard;
    private final PrintStream out;
    private final PrintStream err;

    ShellClient(Path socket, InputStream keyboard, PrintStream out, PrintStream err) {
        this.socket = socket;
        this.keyboard = keyboard;
        this.out = out;
        this.err = err;
    }

    /** @return the exit status */
    int run(LauncherOptions.RemoteCommand command) {
        Path dataArea = socket.toAbsolutePath().getParent();
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            if (Files.isDirectory(dataArea) && !Files.isExecutable(dataArea)) {
                throw new AccessDeniedException(dataArea.toString());
            }
            if (!Files.exists(socket)) {
                return noGateway("no shell socket " + socket);
            }
            try {
                channel.connect(UnixDomainSocketAddress.of(socket));
            } catch (SocketException e) {
                if (e.getMessage() != null && e.getMessage().contains("ermission denied")) {
                    throw new AccessDeniedException(socket.toString());
                }
                return noGateway(socket + " answers nothing (" + e.getMessage() + ")");
            }
            OutputStream toGateway = SocketStreams.out(channel);
            toGateway.write((command.commandLine() + "\n").getBytes(StandardCharsets.UTF_8));
            if (command.interactive()) {
                Thread typing = new Thread(() -> type(channel, toGateway), "shell-keyboard");
                typing.setDaemon(true);
                typing.start();
            } else {
                channel.shutdownOutput();
            }
            SocketStreams.in(channel).transferTo(out);
            out.flush();
            return 0;
        } catch (AccessDeniedException e) {
            err.println("felix-launcher: " + e.getFile() + ": permission denied: run this as the user the "
                    + "gateway runs as (the Debian package: sudo sepl-connector " + (command.interactive() ? "shell"
                            : "status") + ")");
            return Main.EXIT_CANNOT_START;
        } catch (IOException e) {
            err.println("felix-launcher: the gateway's shell socket " + socket.toAbsolutePath() + ": " + e);
            return Main.EXIT_CANNOT_START;
        }
    }

    /** Copies what the user types to the gateway; the end of the input ends the session. */
    private void type(SocketChannel channel, OutputStream toGateway) {
        try {
            keyboard.transferTo(toGateway);
            channel.shutdownOutput();
        } catch (IOException e) {
            // the gateway closed the session
        }
    }

    private int noGateway(String why) {
        err.println("felix-launcher: no gateway runs in " + Path.of("").toAbsolutePath() + " (" + why + "): start "
                + "it, or run this in the gateway's working directory");
        return Main.EXIT_CANNOT_START;
    }
}
