package org.sepl.connector.transport.jdk;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The JDK's tunnel setting as this transport reads it. (The contract suite's authenticating-proxy test runs with
 * the setting cleared on this module's test JVM: see the pom.)
 */
class ProxyAuthenticationTest {

    @Test
    void basicIsFoundInTheListWhateverItsCaseAndSpaces() {
        assertTrue(ProxyAuthentication.namesBasic("Basic"));
        assertTrue(ProxyAuthentication.namesBasic("Digest, basic "));
        assertFalse(ProxyAuthentication.namesBasic(""));
        assertFalse(ProxyAuthentication.namesBasic("Digest"));
        assertFalse(ProxyAuthentication.namesBasic(null));
    }

    @Test
    void thisTestJvmAllowsIt() {
        assertFalse(ProxyAuthentication.basicDisabledForTunnels(), "the pom clears the setting for the tests");
    }

    @Test
    void theRefusalSaysWhatToDo() {
        assertTrue(ProxyAuthentication.DISABLED_EXPLAINED.contains("-Djdk.http.auth.tunneling.disabledSchemes="));
        assertTrue(ProxyAuthentication.DISABLED_EXPLAINED.contains("tyrus"));
    }
}
