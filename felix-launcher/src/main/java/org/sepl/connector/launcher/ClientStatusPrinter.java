package org.sepl.connector.launcher;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.lang.reflect.RecordComponent;
import java.util.Dictionary;
import java.util.Hashtable;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;

/**
 * The Web Console's status page of the clients: a Felix Inventory Printer ({@code org.apache.felix.inventory}, which
 * the Web Console 5 shows under Status) printing every {@code ConnectorClient}'s {@code ClientStatus} (state, gateway
 * id, requests in flight, commands queued, last error, since, outbox, loss ledger and outbox flow: every component).
 * <p>
 * The launcher shares neither the inventory API nor connector.api with the framework, so the printer is a proxy
 * of the inventory bundle's {@code InventoryPrinter} interface, and it reads {@code ClientStatus} (a record) through
 * the client service's own interface. Registered only with {@code --web-console}.
 */
final class ClientStatusPrinter implements InvocationHandler {

    /** The printer's name. */
    static final String NAME = "seplclients";
    /** The Web Console page of the printer, below the console root ({@code /system/console/status-NAME}). */
    static final String LABEL = "status-" + NAME;
    static final String TITLE = "SEPL clients";
    private static final String PRINTER = "org.apache.felix.inventory.InventoryPrinter";

    private final BundleContext context;

    private ClientStatusPrinter(BundleContext context) {
        this.context = context;
    }

    /**
     * Registers the printer through the inventory bundle's context (the one bundle sure to see the printer
     * interface), so it lives as long as that bundle runs.
     *
     * @param system    the framework's context, to find the clients
     * @param inventory the running {@code org.apache.felix.inventory} bundle
     */
    static ServiceRegistration<?> register(BundleContext system, Bundle inventory) throws ClassNotFoundException {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("felix.inventory.printer.name", NAME);
        properties.put("felix.inventory.printer.title", TITLE);
        properties.put("felix.inventory.printer.format", new String[] { "TEXT" });
        Class<?> api = inventory.loadClass(PRINTER);
        Object printer = Proxy.newProxyInstance(api.getClassLoader(), new Class<?>[] { api },
                new ClientStatusPrinter(system));
        return inventory.getBundleContext().registerService(PRINTER, printer, properties);
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        return switch (method.getName()) {
            case "print" -> {
                print((PrintWriter) args[0]);
                yield null;
            }
            case "toString" -> TITLE;
            case "hashCode" -> System.identityHashCode(proxy);
            case "equals" -> proxy == args[0];
            default -> throw new UnsupportedOperationException(method.getName());
        };
    }

    /** Prints one block per client: its configuration PID, then each component of its {@code ClientStatus}. */
    void print(PrintWriter out) {
        ServiceReference<?>[] clients;
        try {
            clients = context.getServiceReferences(ClientStartWatch.CLIENT_SERVICE, null);
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        if (clients == null) {
            out.println("No client runs (no org.sepl.connector.client configuration, or it is invalid: see the log).");
            return;
        }
        for (ServiceReference<?> reference : clients) {
            // connector.impl's service properties: the configuration and the platform
            out.println("Client " + reference.getProperty("connector.config.pid") + " (" + reference.getProperty("user")
                    + " at " + reference.getProperty("host") + ":" + reference.getProperty("port") + ")");
            Object client = context.getService(reference);
            if (client == null) {
                out.println("  (gone)");
                continue;
            }
            try {
                Method status = reference.getBundle().loadClass(ClientStartWatch.CLIENT_SERVICE).getMethod("status");
                Object snapshot = status.invoke(client);
                for (RecordComponent component : snapshot.getClass().getRecordComponents()) {
                    Object value = component.getAccessor().invoke(snapshot);
                    out.println("  " + component.getName() + ": " + (value == null ? "-" : value));
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                out.println("  status unavailable: " + e);
            } finally {
                context.ungetService(reference);
            }
        }
    }
}
