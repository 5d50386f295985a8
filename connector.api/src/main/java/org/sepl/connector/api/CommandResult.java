package org.sepl.connector.api;

/**
 * What a {@link CommandHandler} answers: the {@code data} and {@code metadata} protocol parts of the response.
 * By convention both are strings; {@code data} is usually a JSON document encoded as a string.
 *
 * @param data     the data part, may be null
 * @param metadata the metadata part, may be null
 */
public record CommandResult(String data, String metadata) {

    /** @return a result with the given data and no metadata */
    public static CommandResult of(String data) {
        return new CommandResult(data, null);
    }
}
