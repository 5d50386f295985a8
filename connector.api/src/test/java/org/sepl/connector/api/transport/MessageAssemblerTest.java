package org.sepl.connector.api.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

class MessageAssemblerTest {

    @Test
    void utf8LengthCountsEachCharacterAsTheWireDoes() {
        for (String s : List.of("", "plain ascii", "é", "€", "\uD83D\uDCA1", "aé€\uD83D\uDCA1z")) {
            assertEquals(s.getBytes(StandardCharsets.UTF_8).length, MessageAssembler.utf8Length(s), s);
        }
    }

    @Test
    void aWholeMessageInOneFragmentIsPassedOnAsIs() {
        String text = "whole";
        assertSame(text, new MessageAssembler(100).add(text, true));
    }

    @Test
    void fragmentsAreJoinedInOrder() {
        MessageAssembler a = new MessageAssembler(100);
        assertNull(a.add("one ", false));
        assertNull(a.add("two ", false));
        assertEquals("one two three", a.add("three", true));
        assertEquals("next", a.add("next", true));
    }

    @Test
    void theLimitIsInBytesOfAllFragments() {
        MessageAssembler a = new MessageAssembler(10);
        assertEquals("é".repeat(5), a.add("é".repeat(5), true)); // 10 bytes: at the limit
        assertNull(a.add("é".repeat(3), false));
        assertNull(a.add("é".repeat(3), true)); // 12 bytes, 6 characters
        assertTrue(a.overLimit());
        assertEquals("message larger than 10 bytes", a.overLimitReason());
        assertNull(a.add("x", true), "nothing more once over the limit: the connection is closing");
    }

    @Test
    void withinTheLimitNothingIsOver() {
        MessageAssembler a = new MessageAssembler(4);
        a.add("abcd", true);
        assertFalse(a.overLimit());
    }
}
