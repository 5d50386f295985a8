package org.sepl.connector.emulator;

/**
 * The kinds of fault the emulator injects, as counted by {@link PlatformEmulator.Faults#injected()} and
 * {@code GET /faults} (under {@link #label()}).
 */
public enum FaultKind {
    /** A request answered with an error and not applied ({@code failNext}). */
    FAIL("fail"),
    /** A request handled late, the connection waiting ({@code delayNext}). */
    DELAY("delay"),
    /** A request neither applied nor answered ({@code dropNext}). */
    DROP("drop"),
    /** A connection dropped at a request ({@code closeOnNext}). */
    CLOSE("close"),
    /** A handshake refused by {@code rejectHandshakes}. */
    HANDSHAKE_REJECTED("handshake-rejected"),
    /** A request applied but its answer never sent ({@code dropAnswers}). */
    ANSWER_DROPPED("answer-dropped"),
    /** A request applied and its answer sent late ({@code delayAnswers}). */
    ANSWER_DELAYED("answer-delayed"),
    /** A command delivered twice with the same task id ({@code duplicateCommands}, {@code duplicateNextCommands}). */
    COMMAND_DUPLICATED("command-duplicated"),
    /** A connection that went silent both ways, left open (half-open TCP). */
    SILENCED("silenced"),
    /** A connection whose bytes were read slower than they came ({@code slowReader}). */
    SLOW_READ("slow-read"),
    /** A connection attempt refused by {@code throttleConnections}. */
    THROTTLED("throttled"),
    /** A connection attempt refused while {@code refuseConnections} was in force. */
    REFUSED("refused"),
    /** Every session closed with 1001 ({@code closeAllSessions}). */
    SESSIONS_CLOSED("sessions-closed"),
    /** A restart that dropped every connection and forgot the sessions ({@code restart}). */
    RESTARTED("restarted");

    private final String label;

    FaultKind(String label) {
        this.label = label;
    }

    /** The name in the control API's JSON, e.g. {@code "answer-dropped"}. */
    public String label() {
        return label;
    }
}
