package org.sepl.connector.launcher;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.wiring.BundleWiring;

/**
 * The running gateway's Gogo shell for its operator: a Unix domain socket, {@value #SOCKET} in the working
 * directory, inside the owner-only data area ({@link DataArea}) and itself {@code rw-------}, so only the user the
 * gateway runs as (and root) can connect; no TCP port, no password to manage. {@code java -jar felix-launcher.jar
 * status} and {@code shell [COMMAND]} ({@link ShellClient}) connect to it.
 * <p>
 * On a connection the client sends one line: a Gogo command line to run, or an empty line for an interactive shell;
 * the rest of the connection is the session's input and output, as with Gogo's own {@code telnetd}
 * ({@link ShellSessions}). Gogo's telnetd itself was not used: it listens on TCP, where every local user could
 * connect and act as the gateway (read its secrets, stop it).
 */
final class ShellSocket implements AutoCloseable {

    /** The socket, relative to the working directory (short: a socket's path has at most about 100 bytes). */
    static final Path SOCKET = GatewayFramework.CACHE.resolve("shell.socket");
    /** What {@code status} runs. */
    static final String STATUS_COMMAND = "sepl:status";
    /** Gogo's shell service, by name: the launcher does not see its type (see {@link ShellSessions}). */
    static final String COMMAND_PROCESSOR = "org.apache.felix.service.command.CommandProcessor";
    /** Longest first line accepted. */
    static final int MAX_COMMAND_LINE_BYTES = 64 * 1024;
    private static final System.Logger LOG = System.getLogger(ShellSocket.class.getName());

    private final BundleContext context;
    private final Path path;
    private final ServerSocketChannel server;
    private final Set<SocketChannel> sessions = ConcurrentHashMap.newKeySet();

    private ShellSocket(BundleContext context, Path path, ServerSocketChannel server) {
        this.context = context;
        this.path = path;
        this.server = server;
    }

    /**
     * Listens on {@code path} (a socket file left by a launcher that was killed is replaced: the caller holds the
     * data area's lock) and serves sessions of the framework's Gogo shell on daemon threads.
     *
     * @throws IOException if the socket cannot be made
     */
    static ShellSocket open(BundleContext context, Path path) throws IOException {
        Files.deleteIfExists(path);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(path));
            try {
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not POSIX: the data area's access rules apply
            }
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        ShellSocket socket = new ShellSocket(context, path, server);
        Thread acceptor = new Thread(socket::accept, "sepl-shell-socket");
        acceptor.setDaemon(true);
        acceptor.start();
        return socket;
    }

    private void accept() {
        while (server.isOpen()) {
            try {
                SocketChannel channel = server.accept();
                sessions.add(channel);
                Thread session = new Thread(() -> serve(channel), "sepl-shell-session");
                session.setDaemon(true);
                session.start();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "Shell socket " + path + ": " + e);
            }
        }
    }

    private void serve(SocketChannel channel) {
        try (channel) {
            InputStream in = SocketStreams.in(channel);
            OutputStream out = SocketStreams.out(channel);
            String commandLine = firstLine(in);
            ServiceReference<?> reference = context.getServiceReference(COMMAND_PROCESSOR);
            Object processor = reference == null ? null : context.getService(reference);
            if (processor == null) {
                out.write("felix-launcher: the gateway's Gogo shell does not run\n".getBytes(StandardCharsets.UTF_8));
                return;
            }
            try {
                LOG.log(System.Logger.Level.DEBUG, () -> "Shell session " + (commandLine.isEmpty() ? "(interactive)"
                        : "(one command)") + " on " + path);
                ShellSessions shell = BundleSideClassLoader.instantiate(
                        reference.getBundle().adapt(BundleWiring.class).getClassLoader(), BundleSideClassLoader.GOGO,
                        ShellSessions.IMPLEMENTATION, ShellSessions.class);
                shell.run(processor, commandLine, in, out);
            } finally {
                context.ungetService(reference);
            }
        } catch (IOException | IllegalStateException e) {
            // the client went away, or the framework stopped under the session
            LOG.log(System.Logger.Level.DEBUG, () -> "Shell session ended: " + e);
        } finally {
            sessions.remove(channel);
        }
    }

    /** Reads the first line byte by byte: what follows it is the session's input. */
    static String firstLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) != -1 && b != '\n';) {
            if (line.size() == MAX_COMMAND_LINE_BYTES) {
                throw new IOException("first line longer than " + MAX_COMMAND_LINE_BYTES + " bytes");
            }
            line.write(b);
        }
        return line.toString(StandardCharsets.UTF_8).strip();
    }

    /** Stops listening, ends the open sessions and removes the socket file. */
    @Override
    public void close() {
        try {
            server.close();
            for (SocketChannel session : sessions) {
                session.close();
            }
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "Cannot close the shell socket " + path + ": " + e);
        }
    }
}
