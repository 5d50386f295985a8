package org.sepl.connector.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.sepl.connector.api.CommandResult;
import org.sepl.connector.api.Device;

/**
 * Issue 27 item 3: "a duplicate delivery of a task is answered again without running the handler twice"
 * ({@code CommandReplies}). Found by the soak (connector.itests {@code SoakIT}): before, a command the platform
 * delivered twice (the same {@code task_id}) ran its {@code CommandHandler} twice.
 */
class DuplicateTaskDeliveryTest {

    @Test
    void aDuplicateDeliveryIsAnsweredAgainWithoutRunningTheHandlerTwice() throws Exception {
        try (EmulatorFixture fixture = new EmulatorFixture()) {
            fixture.devices.add(new Device("lamp-1", "iot#lamp", "Lamp"));
            DefaultConnectorClient client = fixture.readyClient();
            try {
                AtomicInteger runs = new AtomicInteger();
                client.addCommandHandler(c -> {
                    runs.incrementAndGet();
                    return CommandResult.of("{\"on\":true}");
                }, Map.of());
                fixture.platform.faults().duplicateNextCommands(1);
                String task = fixture.platform.sendCommand("lamp-1", "set_on", "{\"on\":true}", null)
                        .get(10, TimeUnit.SECONDS).taskId();
                Await.until("both deliveries answered", () -> fixture.platform.commandLedger().get(task).responses() == 2);
                assertEquals(2, fixture.platform.commandLedger().get(task).deliveries(), "deliveries");
                assertEquals(1, runs.get(), "runs of the handler for one task id");
            } finally {
                client.close();
            }
        }
    }
}
