package org.sepl.connector.store.memory;

import org.sepl.connector.testkit.DeviceManagerContract;

import org.sepl.connector.api.DeviceManager;

class InMemoryDeviceManagerTest extends DeviceManagerContract {

    @Override
    protected DeviceManager manager() {
        return new InMemoryDeviceManager();
    }
}
