package org.sepl.connector.http;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Blocking HTTP calls for device integrations (the original client's {@code http_lib}): {@code get},
 * {@code post}, {@code put}, {@code delete} and {@code head}, each with {@link HttpOptions} for headers, basic
 * authentication, timeout and retries, returning the status, headers and body as an {@link HttpResult}.
 *
 * <pre>{@code
 * HttpHelper http = new HttpHelper();
 * // GET http://192.168.1.20/api/state?id=1&lang=en
 * HttpResult state = http.get("http://192.168.1.20/api/state", Map.of("id", 1, "lang", "en"));
 * HttpResult set = http.post("http://192.168.1.20/api/state", "{\"on\":true}",
 *         HttpOptions.defaults().header("Content-Type", "application/json").basicAuth("admin", "secret"));
 * if (!set.isSuccess()) { ... set.status(), set.body() ... }
 * }</pre>
 *
 * <b>What is retried.</b> An attempt that gets no response (connection refused or reset, unknown host, timeout)
 * is tried again up to {@link HttpOptions#retries()} times, after {@link HttpOptions#retryDelay()}. Any response,
 * whatever its status, is returned as it is. Retrying a {@code POST} after a timeout may deliver it twice: keep
 * retries at 0 for requests that must not be repeated.
 * <p>
 * <b>Threads.</b> Calls block the calling thread for at most {@code (retries + 1) × timeout + retries × retryDelay}.
 * Make them from a {@code CommandHandler} or your own executor, not from a {@code ConnectionListener} callback
 * (which would hold up the client's other callbacks). Thread-safe; one instance (one connection pool) is meant to
 * be shared. Redirects are followed, except from {@code https} to {@code http}.
 */
public final class HttpHelper {

    private final HttpClient client;
    private final HttpOptions defaults;

    /** A helper with its own {@link HttpClient} and {@link HttpOptions#defaults()}. */
    public HttpHelper() {
        this(HttpOptions.defaults());
    }

    /** A helper with its own {@link HttpClient}; {@code defaults} apply to the calls that take no options. */
    public HttpHelper(HttpOptions defaults) {
        this(HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build(), defaults);
    }

    /**
     * A helper on your {@link HttpClient} (for your own TLS trust, proxy or executor); {@code defaults} apply to
     * the calls that take no options.
     */
    public HttpHelper(HttpClient client, HttpOptions defaults) {
        this.client = Objects.requireNonNull(client, "client must not be null");
        this.defaults = Objects.requireNonNull(defaults, "defaults must not be null");
    }

    // ---- GET ---------------------------------------------------------------------------------------------

    public HttpResult get(String url) throws IOException {
        return get(url, Map.of(), defaults);
    }

    public HttpResult get(String url, Map<String, ?> query) throws IOException {
        return get(url, query, defaults);
    }

    /**
     * @param url     an absolute {@code http://} or {@code https://} URL; it may already have a query
     * @param query   arguments appended to the URL's query, form-encoded ({@code a b&c} becomes {@code a+b%26c}),
     *                in the map's iteration order; values are converted with {@link String#valueOf(Object)}
     * @param options headers, authentication, timeout and retries of this call
     * @throws HttpCallException        if no attempt got a response
     * @throws IllegalArgumentException if the URL, a query argument or a header is invalid (nothing is sent)
     */
    public HttpResult get(String url, Map<String, ?> query, HttpOptions options) throws IOException {
        return call("GET", withQuery(url, query), null, options);
    }

    // ---- HEAD --------------------------------------------------------------------------------------------

    public HttpResult head(String url) throws IOException {
        return head(url, Map.of(), defaults);
    }

    public HttpResult head(String url, Map<String, ?> query) throws IOException {
        return head(url, query, defaults);
    }

    /** As {@link #get(String, Map, HttpOptions)}, without a body (the original client's {@code header}). */
    public HttpResult head(String url, Map<String, ?> query, HttpOptions options) throws IOException {
        return call("HEAD", withQuery(url, query), null, options);
    }

    // ---- POST, PUT, DELETE -------------------------------------------------------------------------------

    public HttpResult post(String url, String body) throws IOException {
        return post(url, body, defaults);
    }

    /**
     * @param body sent as UTF-8; set a {@code Content-Type} header in {@code options} if the server needs one
     * @see #get(String, Map, HttpOptions)
     */
    public HttpResult post(String url, String body, HttpOptions options) throws IOException {
        return call("POST", parse(url), Objects.requireNonNull(body, "body must not be null"), options);
    }

    public HttpResult put(String url, String body) throws IOException {
        return put(url, body, defaults);
    }

    /** As {@link #post(String, String, HttpOptions)}, with method {@code PUT}. */
    public HttpResult put(String url, String body, HttpOptions options) throws IOException {
        return call("PUT", parse(url), Objects.requireNonNull(body, "body must not be null"), options);
    }

    public HttpResult delete(String url) throws IOException {
        return delete(url, defaults);
    }

    /** @see #get(String, Map, HttpOptions) */
    public HttpResult delete(String url, HttpOptions options) throws IOException {
        return call("DELETE", parse(url), null, options);
    }

    // ---- the call ----------------------------------------------------------------------------------------

    private HttpResult call(String method, URI uri, String body, HttpOptions options) throws IOException {
        Objects.requireNonNull(options, "options must not be null");
        HttpRequest request = request(method, uri, body, options);
        int attempts = options.retries() + 1;
        Exception lastFailure = null;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            if (attempt > 1) {
                pause(options.retryDelay(), method, uri);
            }
            try {
                return attempt(request, options.timeout());
            } catch (InterruptedIOException e) {
                throw e; // the caller wants us to stop: no further attempt
            } catch (IOException | TimeoutException e) {
                lastFailure = e;
            }
        }
        throw new HttpCallException(method + " " + forMessages(uri) + ": no response after " + attempts
                + (attempts == 1 ? " attempt" : " attempts") + " (last: " + describe(lastFailure, options.timeout())
                + ")", attempts, lastFailure);
    }

    private HttpResult attempt(HttpRequest request, Duration timeout) throws IOException, TimeoutException {
        CompletableFuture<HttpResponse<String>> pending = client.sendAsync(request,
                HttpResponse.BodyHandlers.ofString());
        try {
            // the request's own timeout ends at the response headers; this one also bounds reading the body
            HttpResponse<String> response = pending.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            String responseBody = response.body() == null ? "" : response.body();
            return new HttpResult(response.statusCode(), response.headers().map(), responseBody);
        } catch (TimeoutException e) {
            pending.cancel(true);
            throw e;
        } catch (InterruptedException e) {
            pending.cancel(true);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException(request.method() + " " + forMessages(request.uri()) + " interrupted");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof UnresolvedAddressException) {
                throw new IOException("unknown host " + request.uri().getHost(), cause);
            }
            if (cause instanceof IllegalArgumentException iae) {
                throw iae;
            }
            throw new IOException(cause);
        }
    }

    private static HttpRequest request(String method, URI uri, String body, HttpOptions options) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .timeout(options.timeout())
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        for (Map.Entry<String, String> header : options.headers().entrySet()) {
            try {
                builder.header(header.getKey(), header.getValue());
            } catch (IllegalArgumentException e) {
                // java.net.http refuses headers it manages itself (Host, Connection, Content-Length, ...)
                throw new IllegalArgumentException("header '" + header.getKey()
                        + "' cannot be set: java.net.http manages it or refuses its value (" + e.getMessage() + ")", e);
            }
        }
        if (options.hasBasicAuth()) {
            String credentials = options.user() + ":" + options.password();
            builder.setHeader("Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        }
        return builder.build();
    }

    private static void pause(Duration delay, String method, URI uri) throws InterruptedIOException {
        if (delay.isZero()) {
            return;
        }
        try {
            TimeUnit.NANOSECONDS.sleep(delay.toNanos());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException(method + " " + forMessages(uri) + " interrupted between attempts");
        }
    }

    // ---- URLs --------------------------------------------------------------------------------------------

    private static URI withQuery(String url, Map<String, ?> query) {
        URI uri = parse(url);
        Objects.requireNonNull(query, "query must not be null (use an empty map)");
        if (query.isEmpty()) {
            return uri;
        }
        StringJoiner encoded = new StringJoiner("&");
        for (Map.Entry<String, ?> argument : query.entrySet()) {
            if (argument.getKey() == null || argument.getValue() == null) {
                throw new IllegalArgumentException("query argument '" + argument.getKey()
                        + "' must have a non-null name and value, was " + argument.getValue());
            }
            encoded.add(URLEncoder.encode(argument.getKey(), StandardCharsets.UTF_8) + "="
                    + URLEncoder.encode(String.valueOf(argument.getValue()), StandardCharsets.UTF_8));
        }
        String raw = uri.toString();
        int hash = raw.indexOf('#');
        String beforeFragment = hash < 0 ? raw : raw.substring(0, hash);
        String fragment = hash < 0 ? "" : raw.substring(hash);
        String separator = uri.getRawQuery() == null ? "?" : uri.getRawQuery().isEmpty() ? "" : "&";
        return URI.create(beforeFragment + separator + encoded + fragment);
    }

    private static URI parse(String url) {
        Objects.requireNonNull(url, "url must not be null");
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("url must be an absolute http:// or https:// URL, was '" + url
                    + "' (" + e.getReason() + " at index " + e.getIndex() + ")", e);
        }
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                || uri.getHost() == null) {
            throw new IllegalArgumentException("url must be an absolute http:// or https:// URL with a host, was '"
                    + forMessages(uri) + "'");
        }
        return uri;
    }

    /** The URL without user info, which may hold a password. */
    private static String forMessages(URI uri) {
        if (uri.getRawUserInfo() == null) {
            return uri.toString();
        }
        return uri.toString().replace(uri.getRawUserInfo() + "@", "");
    }

    private static String describe(Exception failure, Duration timeout) {
        if (failure instanceof TimeoutException || failure instanceof HttpTimeoutException) {
            return "timed out after " + timeout.toMillis() + " ms";
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConnectException) {
                return "connection refused or unreachable" + (t.getMessage() == null ? "" : ": " + t.getMessage());
            }
        }
        String message = failure.getMessage();
        return failure.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
