package org.sepl.connector.impl.command;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import org.sepl.connector.api.Command;
import org.sepl.connector.api.CommandHandler;
import org.sepl.connector.api.Device;

/**
 * Chooses the {@link CommandHandler} for a command from the handlers' service properties (see CommandHandler's
 * Javadoc): a missing property matches everything; the highest {@code service.ranking} wins, then the oldest.
 */
public final class CommandRouter {

    private record Registration(CommandHandler handler, Set<String> deviceTypes, Set<String> deviceIds,
            Set<String> services, int ranking, long order) {

        boolean matches(Command command, Function<String, Optional<Device>> devices) {
            if (deviceIds != null && !deviceIds.contains(command.deviceId())) {
                return false;
            }
            if (services != null && !services.contains(command.serviceId())) {
                return false;
            }
            return deviceTypes == null
                    || devices.apply(command.deviceId()).map(d -> deviceTypes.contains(d.type())).orElse(false);
        }
    }

    private static final Comparator<Registration> PREFERENCE = Comparator.comparingInt(Registration::ranking)
            .reversed().thenComparingLong(Registration::order);

    private final List<Registration> registrations = new CopyOnWriteArrayList<>();
    private final AtomicLong arrival = new AtomicLong();

    /**
     * @param properties the handler's service properties
     * @throws IllegalArgumentException if a selection property is neither a string nor strings
     */
    public void add(CommandHandler handler, Map<String, ?> properties) {
        Objects.requireNonNull(handler, "handler must not be null");
        Map<String, ?> props = properties == null ? Map.of() : properties;
        Object ranking = props.get("service.ranking");
        Object serviceId = props.get("service.id");
        long order = serviceId instanceof Long id ? id : arrival.incrementAndGet() + (1L << 40);
        registrations.add(new Registration(handler, strings(props, CommandHandler.DEVICE_TYPE),
                strings(props, CommandHandler.DEVICE_ID), strings(props, CommandHandler.SERVICE),
                ranking instanceof Integer r ? r : 0, order));
    }

    public void remove(CommandHandler handler) {
        registrations.removeIf(r -> r.handler == handler);
    }

    /** @param devices looks up a device by id, to match {@value CommandHandler#DEVICE_TYPE} */
    public Optional<CommandHandler> select(Command command, Function<String, Optional<Device>> devices) {
        return registrations.stream().filter(r -> r.matches(command, devices)).min(PREFERENCE)
                .map(Registration::handler);
    }

    private static Set<String> strings(Map<String, ?> props, String key) {
        Object value = props.get(key);
        if (value == null) {
            return null;
        }
        if (value instanceof String s) {
            return Set.of(s);
        }
        if (value instanceof String[] array) {
            return Set.of(array);
        }
        if (value instanceof Collection<?> c && c.stream().allMatch(String.class::isInstance)) {
            return Set.copyOf(c.stream().map(String.class::cast).toList());
        }
        throw new IllegalArgumentException("command handler property '" + key + "' must be a string or strings, was "
                + value.getClass().getName());
    }
}
