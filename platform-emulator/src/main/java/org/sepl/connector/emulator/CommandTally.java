package org.sepl.connector.emulator;

/**
 * One task id in {@link PlatformEmulator#commandLedger()}: how often the platform delivered the command (frames
 * written, to every listening connection, duplicates included) and how many {@code response}s came back for it.
 * A response for a task id the platform never sent shows as {@code deliveries} 0 and {@code deviceUri} null.
 */
public record CommandTally(String taskId, String deviceUri, int deliveries, int responses) {
}
