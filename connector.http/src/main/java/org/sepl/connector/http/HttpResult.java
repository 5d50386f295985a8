package org.sepl.connector.http;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The response to an HTTP call (the original client's response object with {@code status}, {@code header},
 * {@code body}). Every status is a result, 4xx and 5xx included: check {@link #isSuccess()}.
 *
 * @param status  the HTTP status code
 * @param headers the response headers; names as the server sent them (look them up with {@link #header(String)},
 *                which ignores case)
 * @param body    the body decoded with the charset of its {@code Content-Type} (UTF-8 if none); empty for
 *                {@code HEAD} and for responses without a body
 */
public record HttpResult(int status, Map<String, List<String>> headers, String body) {

    public HttpResult {
        headers = Map.copyOf(Objects.requireNonNull(headers, "headers must not be null"));
        Objects.requireNonNull(body, "body must not be null");
    }

    /** @return whether the status is 2xx */
    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }

    /** @return the first value of the header {@code name}, ignoring case */
    public Optional<String> header(String name) {
        Objects.requireNonNull(name, "name must not be null");
        return headers.entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty())
                .map(e -> e.getValue().get(0))
                .findFirst();
    }
}
