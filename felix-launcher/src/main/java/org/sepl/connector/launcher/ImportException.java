package org.sepl.connector.launcher;

/**
 * The Python client import cannot go on; the message names the file and the line or row. Thrown before anything of
 * the gateway is written, or after undoing what was.
 */
public final class ImportException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ImportException(String message) {
        super(message);
    }

    public ImportException(String message, Throwable cause) {
        super(message, cause);
    }
}
