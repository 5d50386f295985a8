package org.sepl.connector.http;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How an HTTP call is made: extra request headers, basic authentication, the timeout of each attempt, and how
 * often and after what pause a call that got no response is tried again. Immutable; each {@code with…} method
 * returns a changed copy, so one instance can be shared by many calls and threads.
 *
 * <pre>{@code
 * HttpOptions options = HttpOptions.defaults()
 *         .header("Accept", "application/json")
 *         .basicAuth("admin", "secret")
 *         .timeout(Duration.ofSeconds(1))
 *         .retries(2);
 * }</pre>
 *
 * The defaults are those of the original client's {@code http_lib}: a 3 s timeout, no retries, 0.5 s between
 * attempts.
 */
public final class HttpOptions {

    /** Timeout of one attempt, from sending the request to having read the whole response. */
    public static final Duration TIMEOUT_DEFAULT = Duration.ofSeconds(3);
    /** Further attempts after an attempt that got no response. */
    public static final int RETRIES_DEFAULT = 0;
    /** Pause between two attempts. */
    public static final Duration RETRY_DELAY_DEFAULT = Duration.ofMillis(500);
    /** Upper bound of {@link #retries(int)}: a mistyped retry count must not keep a device thread busy for hours. */
    public static final int RETRIES_MAX = 100;

    private static final HttpOptions DEFAULTS = new HttpOptions(Map.of(), null, null, TIMEOUT_DEFAULT,
            RETRIES_DEFAULT, RETRY_DELAY_DEFAULT);

    private final Map<String, String> headers;
    private final String user;
    private final String password;
    private final Duration timeout;
    private final int retries;
    private final Duration retryDelay;

    private HttpOptions(Map<String, String> headers, String user, String password, Duration timeout, int retries,
            Duration retryDelay) {
        this.headers = headers;
        this.user = user;
        this.password = password;
        this.timeout = timeout;
        this.retries = retries;
        this.retryDelay = retryDelay;
    }

    /** @return no extra headers, no authentication, {@link #TIMEOUT_DEFAULT}, {@link #RETRIES_DEFAULT}, {@link #RETRY_DELAY_DEFAULT} */
    public static HttpOptions defaults() {
        return DEFAULTS;
    }

    /**
     * @return these options with one more request header; a header of the same name (ignoring case) is replaced
     * @throws IllegalArgumentException if the name is empty or either part contains a line break
     */
    public HttpOptions header(String name, String value) {
        Objects.requireNonNull(name, "header name must not be null");
        Objects.requireNonNull(value, "value of header '" + name + "' must not be null");
        if (name.isBlank()) {
            throw new IllegalArgumentException("header name must not be empty");
        }
        if (containsLineBreak(name) || containsLineBreak(value)) {
            throw new IllegalArgumentException("header '" + name.strip() + "' must not contain a line break");
        }
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.keySet().removeIf(existing -> existing.equalsIgnoreCase(name));
        copy.put(name, value);
        return new HttpOptions(Collections.unmodifiableMap(copy), user, password, timeout, retries, retryDelay);
    }

    /** @return these options with every header of {@code more} added as by {@link #header(String, String)} */
    public HttpOptions headers(Map<String, String> more) {
        Objects.requireNonNull(more, "headers must not be null");
        HttpOptions result = this;
        for (Map.Entry<String, String> entry : more.entrySet()) {
            result = result.header(entry.getKey(), entry.getValue());
        }
        return result;
    }

    /**
     * @return these options with HTTP basic authentication, sent with every request (not only after a 401, as
     *         the original client's {@code auth=(user, password)} did)
     * @throws IllegalArgumentException if the user contains {@code ':'}, which basic authentication cannot carry
     */
    public HttpOptions basicAuth(String user, String password) {
        Objects.requireNonNull(user, "user must not be null");
        Objects.requireNonNull(password, "password must not be null");
        if (user.indexOf(':') >= 0) {
            throw new IllegalArgumentException("user must not contain ':' (basic authentication), was '" + user + "'");
        }
        return new HttpOptions(headers, user, password, timeout, retries, retryDelay);
    }

    /**
     * @param timeout of each attempt, until the whole response is read; positive
     * @throws IllegalArgumentException if not positive
     */
    public HttpOptions timeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout must not be null");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
        return new HttpOptions(headers, user, password, timeout, retries, retryDelay);
    }

    /**
     * @param retries further attempts after an attempt that got no response at all (connection refused or
     *                reset, timeout); 0 to {@value #RETRIES_MAX}. A response, whatever its status, is never retried.
     * @throws IllegalArgumentException if out of range
     */
    public HttpOptions retries(int retries) {
        if (retries < 0 || retries > RETRIES_MAX) {
            throw new IllegalArgumentException("retries must be 0 to " + RETRIES_MAX + ", was " + retries);
        }
        return new HttpOptions(headers, user, password, timeout, retries, retryDelay);
    }

    /**
     * @param retryDelay pause before each retry; zero or positive
     * @throws IllegalArgumentException if negative
     */
    public HttpOptions retryDelay(Duration retryDelay) {
        Objects.requireNonNull(retryDelay, "retryDelay must not be null");
        if (retryDelay.isNegative()) {
            throw new IllegalArgumentException("retryDelay must not be negative, was " + retryDelay);
        }
        return new HttpOptions(headers, user, password, timeout, retries, retryDelay);
    }

    /** @return the extra request headers, in the order they were added */
    public Map<String, String> headers() {
        return headers;
    }

    /** @return the basic-authentication user, or null without authentication */
    public String user() {
        return user;
    }

    /** @return whether requests carry basic authentication */
    public boolean hasBasicAuth() {
        return user != null;
    }

    /** The password, for {@link HttpHelper} only: not public, so that it does not end up in logs by accident. */
    String password() {
        return password;
    }

    public Duration timeout() {
        return timeout;
    }

    public int retries() {
        return retries;
    }

    public Duration retryDelay() {
        return retryDelay;
    }

    /** Never shows the password. */
    @Override
    public String toString() {
        return "HttpOptions[headers=" + headers.keySet() + ", basicAuth=" + (user == null ? "none" : user + ":***")
                + ", timeout=" + timeout + ", retries=" + retries + ", retryDelay=" + retryDelay + "]";
    }

    private static boolean containsLineBreak(String s) {
        return s.indexOf('\r') >= 0 || s.indexOf('\n') >= 0;
    }
}
