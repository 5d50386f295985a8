package org.sepl.connector.impl.osgi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.ObjectClassDefinition;
import org.sepl.connector.impl.settings.ClientSettings;
import org.sepl.connector.impl.settings.Setting;

/** The metatype the Web Console and Karaf show is the one list of settings, with the client's own checks. */
class ClientMetaTypeTest {

    private final ObjectClassDefinition ocd = new ClientMetaType().getObjectClassDefinition(ConnectorClientComponent.PID,
            null);

    private AttributeDefinition attribute(String id) {
        return Arrays.stream(ocd.getAttributeDefinitions(ObjectClassDefinition.ALL)).filter(a -> a.getID().equals(id))
                .findFirst().orElseThrow();
    }

    @Test
    void everySettingIsAnAttributeInOrder() {
        List<String> ids = Arrays.stream(ocd.getAttributeDefinitions(ObjectClassDefinition.ALL))
                .map(AttributeDefinition::getID).toList();
        assertEquals(ClientSettings.ALL.stream().map(Setting::property).toList(), ids);
        // a form saves "required" attributes always; the optional ones (empty unless set) only when asked to
        assertEquals(List.of("transport", "deviceManager", "trustStore", ".trustStorePassword", "keyStore",
                ".keyStorePassword", "proxyHost", "proxyUser", ".proxyPassword"), Arrays
                .stream(ocd.getAttributeDefinitions(ObjectClassDefinition.OPTIONAL)).map(AttributeDefinition::getID)
                .toList());
        assertNull(new ClientMetaType().getObjectClassDefinition("some.other.pid", null));
    }

    @Test
    void typesDefaultsAndSecretsComeFromTheSettings() {
        assertEquals(AttributeDefinition.PASSWORD, attribute(".password").getType());
        assertEquals(AttributeDefinition.PASSWORD, attribute(".trustStorePassword").getType());
        assertEquals(AttributeDefinition.PASSWORD, attribute(".keyStorePassword").getType());
        assertEquals(AttributeDefinition.PASSWORD, attribute(".proxyPassword").getType());
        assertEquals(AttributeDefinition.INTEGER, attribute("port").getType());
        assertEquals(AttributeDefinition.LONG, attribute("requestTimeoutMillis").getType());
        assertArrayEquals(new String[] { "10000" }, attribute("requestTimeoutMillis").getDefaultValue());
        assertNull(attribute("host").getDefaultValue());
        assertEquals("Its TCP port.", attribute("port").getDescription());
        assertEquals("True: wss:// (TLS, host name always verified) instead of ws://.",
                attribute("encryption").getDescription());
    }

    @Test
    void aFormIsCheckedWithTheClientsOwnWords() {
        assertEquals("", attribute("port").validate("8080"));
        assertEquals("property 'port' = \"eighty\": must be a whole number between 1 and 65535",
                attribute("port").validate("eighty"));
    }
}
