package org.sepl.connector.api;

import java.util.Objects;

/**
 * The platform's answer to a request (the original client's {@code Message}).
 * <p>
 * {@code status} follows HTTP: 200 success, 400 the request was wrong, 500 the platform failed.
 * The payload is the JSON value of the answer as plain Java: {@link String}, {@link Number}, {@link Boolean},
 * {@link java.util.List}, {@link java.util.Map} or {@code null}. Error payloads are human-readable strings.
 * Instances are immutable.
 */
public final class Response {

    private final int status;
    private final String contentType;
    private final Object payload;

    /**
     * @param status      the answer's status
     * @param contentType the platform's hint of the payload's JSON kind ({@code string}, {@code map}, ...); may be
     *                    empty, never relied upon
     * @param payload     the payload as plain Java values
     */
    public Response(int status, String contentType, Object payload) {
        this.status = status;
        this.contentType = Objects.requireNonNullElse(contentType, "");
        this.payload = payload;
    }

    /** @return the status, e.g. 200, 400, 500 */
    public int status() {
        return status;
    }

    /** @return {@code true} for status 200 */
    public boolean isSuccess() {
        return status == 200;
    }

    /** @return the content type hint, never null */
    public String contentType() {
        return contentType;
    }

    /** @return the payload as plain Java values, or null */
    public Object payload() {
        return payload;
    }

    /** @return the payload if it is a string (the usual case: {@code "ok"} or an error text), else its {@code toString} */
    public String payloadText() {
        return payload == null ? null : payload.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Response r && r.status == status && r.contentType.equals(contentType)
                && Objects.equals(r.payload, payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(status, contentType, payload);
    }

    @Override
    public String toString() {
        return "Response[status=" + status + ", contentType=" + contentType + ", payload=" + payload + "]";
    }
}
