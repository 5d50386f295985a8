package org.sepl.connector.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;

import org.junit.jupiter.api.Test;

/** Which bundles a transport brings, as the embedded features file (the one list's assignment) says. */
class TransportBundlesTest {

    @Test
    void bothTransportsAreKnownAndTyrusIsTheDefault() {
        assertEquals(Set.of("tyrus", "jdk"), TransportBundles.transports().keySet());
        assertEquals("tyrus", LauncherOptions.parse().transport());
        assertEquals("jdk", LauncherOptions.parse("--transport", "jdk").transport());
    }

    @Test
    void withTyrusNothingIsLeftOutAndTheJdkTransportStaysAsTheFallback() {
        assertEquals(Set.of(), TransportBundles.leftOutWith("tyrus"));
    }

    @Test
    void withTheJdkTransportTyrusAndItsLibrariesAreLeftOutAndNothingElse() {
        Set<String> leftOut = TransportBundles.leftOutWith("jdk");
        assertEquals(TransportBundles.transports().get("tyrus"), leftOut);
        assertTrue(leftOut.contains("connector.transport.tyrus.jar") && leftOut.contains("tyrus-core.jar")
                && leftOut.contains("grizzly-framework.jar"), leftOut.toString());
        assertTrue(leftOut.stream().noneMatch(j -> j.startsWith("connector.api") || j.startsWith("connector.impl")
                || j.startsWith("connector.transport.jdk")), leftOut.toString());
    }

    @Test
    void anUnknownTransportIsABadCommandLineNamingTheChoices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LauncherOptions.parse("--transport", "netty"));
        assertTrue(e.getMessage().contains("--transport 'netty'") && e.getMessage().contains("tyrus")
                && e.getMessage().contains("jdk"), e.getMessage());
    }
}
