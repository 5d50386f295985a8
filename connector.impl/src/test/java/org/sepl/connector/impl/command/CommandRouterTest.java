package org.sepl.connector.impl.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.sepl.connector.api.Command;
import org.sepl.connector.api.CommandHandler;
import org.sepl.connector.api.CommandResult;
import org.sepl.connector.api.Device;

class CommandRouterTest {

    private final CommandRouter router = new CommandRouter();
    private final Map<String, Device> devices = Map.of("lamp-1", new Device("lamp-1", "iot#lamp", "Lamp"),
            "meter-1", new Device("meter-1", "iot#meter", "Meter"));

    private static CommandHandler handler(String name) {
        return c -> CommandResult.of(name);
    }

    private static Command command(String device, String service) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("device_url", device);
        fields.put("service_url", service);
        return new Command(fields);
    }

    private String route(String device, String service) throws Exception {
        Optional<CommandHandler> h = router.select(command(device, service), id -> Optional.ofNullable(devices.get(id)));
        return h.isPresent() ? h.get().handle(null).data() : null;
    }

    @Test
    void selectsByDeviceTypeDeviceIdAndService() throws Exception {
        router.add(handler("lamps"), Map.of(CommandHandler.DEVICE_TYPE, "iot#lamp"));
        router.add(handler("meter-reset"), Map.of(CommandHandler.DEVICE_ID, "meter-1", CommandHandler.SERVICE, new String[] {"reset"}));
        assertEquals("lamps", route("lamp-1", "on"));
        assertEquals("meter-reset", route("meter-1", "reset"));
        assertEquals(null, route("meter-1", "read"));
        assertEquals(null, route("unknown-device", "on"));
    }

    @Test
    void highestRankingWinsThenTheOldest() throws Exception {
        router.add(handler("catch-all"), Map.of("service.id", 5L));
        router.add(handler("older"), Map.of("service.id", 6L, "service.ranking", 10));
        router.add(handler("newer"), Map.of("service.id", 7L, "service.ranking", 10));
        assertEquals("older", route("lamp-1", "on"));
    }

    @Test
    void removedHandlerIsNoLongerChosen() throws Exception {
        CommandHandler h = handler("h");
        router.add(h, Map.of(CommandHandler.SERVICE, List.of("on", "off")));
        assertEquals("h", route("lamp-1", "off"));
        router.remove(h);
        assertEquals(null, route("lamp-1", "off"));
    }

    @Test
    void badSelectionPropertyNamesTheProperty() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> router.add(handler("h"), Map.of(CommandHandler.SERVICE, 42)));
        assertTrue(e.getMessage().contains(CommandHandler.SERVICE), e.getMessage());
    }
}
