package org.sepl.connector.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.BasicAuthenticator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/** The helper against the JDK's HTTP server on a free loopback port. */
class HttpHelperTest {

    /** What the server saw of one request. */
    record Seen(String method, String rawQuery, String path, Map<String, String> headers, String body) {
    }

    private final BlockingQueue<Seen> seen = new LinkedBlockingQueue<>();
    /** Released at tear-down: handlers that must never answer wait on it. */
    private final CountDownLatch tearDown = new CountDownLatch(1);
    private final HttpHelper http = new HttpHelper();
    private HttpServer server;
    private ExecutorService serverThreads;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        serverThreads = Executors.newCachedThreadPool(); // a hanging handler must not hold up the next request
        server.setExecutor(serverThreads);
        server.createContext("/echo", exchange -> {
            record(exchange);
            exchange.getResponseHeaders().add("X-Echo-Method", exchange.getRequestMethod());
            reply(exchange, 200, "echo " + exchange.getRequestMethod());
        });
        server.createContext("/missing", exchange -> {
            record(exchange);
            reply(exchange, 404, "no such thing");
        });
        server.createContext("/hang", exchange -> {
            record(exchange);
            await(tearDown);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        tearDown.countDown();
        server.stop(0);
        serverThreads.shutdownNow();
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    @Test
    void getEncodesTheQueryInOrderAndReturnsStatusHeadersAndBody() throws Exception {
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("id", 1);
        query.put("lang", "en");
        query.put("q", "a b&c=d");
        query.put("ü", "ö/?");

        HttpResult result = http.get(url("/echo"), query);

        assertEquals(200, result.status());
        assertTrue(result.isSuccess());
        assertEquals("echo GET", result.body());
        assertEquals("GET", result.header("x-echo-method").orElseThrow(), "header lookup ignores case");
        Seen request = seen.take();
        assertEquals("id=1&lang=en&q=a+b%26c%3Dd&%C3%BC=%C3%B6%2F%3F", request.rawQuery());
    }

    @Test
    void queryArgumentsAreAddedToAQueryTheUrlAlreadyHas() throws Exception {
        http.get(url("/echo?fixed=yes"), Map.of("id", 7));
        assertEquals("fixed=yes&id=7", seen.take().rawQuery());
    }

    @Test
    void postPutDeleteAndHeadSendMethodBodyAndHeaders() throws Exception {
        HttpOptions json = HttpOptions.defaults().header("Content-Type", "application/json");

        HttpResult posted = http.post(url("/echo"), "{\"unit\":\"kW\",\"value\":\"1.43\"}", json);
        Seen post = seen.take();
        assertEquals("echo POST", posted.body());
        assertEquals("{\"unit\":\"kW\",\"value\":\"1.43\"}", post.body());
        assertEquals("application/json", post.headers().get("content-type"));

        http.put(url("/echo"), "größe=2", json);
        Seen put = seen.take();
        assertEquals("PUT", put.method());
        assertEquals("größe=2", put.body(), "the body is sent as UTF-8");

        http.delete(url("/echo"));
        assertEquals("DELETE", seen.take().method());

        HttpResult head = http.head(url("/echo"), Map.of("id", 2));
        Seen headRequest = seen.take();
        assertEquals("HEAD", headRequest.method());
        assertEquals("id=2", headRequest.rawQuery());
        assertEquals(200, head.status());
        assertEquals("", head.body());
        assertEquals("HEAD", head.header("X-Echo-Method").orElseThrow());
    }

    @Test
    void anErrorStatusIsAResultNotAnException() throws Exception {
        HttpResult result = http.get(url("/missing"));
        assertEquals(404, result.status());
        assertFalse(result.isSuccess());
        assertEquals("no such thing", result.body());
    }

    @Test
    void basicAuthIsSentAndAWrongPasswordGets401() throws Exception {
        server.createContext("/secure", exchange -> reply(exchange, 200, "welcome "
                + exchange.getPrincipal().getUsername())).setAuthenticator(new BasicAuthenticator("gateway") {
                    @Override
                    public boolean checkCredentials(String user, String password) {
                        return "admin".equals(user) && "s3cret:with colon".equals(password);
                    }
                });

        HttpResult ok = http.get(url("/secure"), Map.of(),
                HttpOptions.defaults().basicAuth("admin", "s3cret:with colon"));
        assertEquals(200, ok.status());
        assertEquals("welcome admin", ok.body());

        HttpResult refused = http.get(url("/secure"), Map.of(), HttpOptions.defaults().basicAuth("admin", "wrong"));
        assertEquals(401, refused.status());
        assertEquals(401, http.get(url("/secure")).status(), "no authentication without basicAuth");
    }

    @Test
    void aTimeoutEndsTheCallWithAClearMessage() {
        HttpOptions quick = HttpOptions.defaults().timeout(Duration.ofMillis(200));
        HttpCallException e = assertThrows(HttpCallException.class, () -> http.get(url("/hang"), Map.of(), quick));
        assertEquals(1, e.attempts());
        assertEquals("GET " + url("/hang") + ": no response after 1 attempt (last: timed out after 200 ms)",
                e.getMessage());
    }

    @Test
    void aTimedOutAttemptIsRetriedAfterTheRetryDelay() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        server.createContext("/flaky", exchange -> {
            if (calls.incrementAndGet() < 3) {
                await(tearDown); // the first two attempts get no answer
                exchange.close();
            } else {
                reply(exchange, 200, "third time lucky");
            }
        });
        HttpOptions options = HttpOptions.defaults().timeout(Duration.ofMillis(300)).retries(2)
                .retryDelay(Duration.ofMillis(100));

        long start = System.nanoTime();
        HttpResult result = http.get(url("/flaky"), Map.of(), options);
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertEquals("third time lucky", result.body());
        assertEquals(3, calls.get());
        assertTrue(elapsedMillis >= 2 * 300 + 2 * 100, "two timeouts and two pauses, took " + elapsedMillis + " ms");
    }

    @Test
    void anInterruptedCallStopsAtOnceWithoutFurtherAttempts() throws Exception {
        HttpOptions patient = HttpOptions.defaults().timeout(Duration.ofSeconds(30)).retries(5);
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread caller = new Thread(() -> {
            try {
                http.get(url("/hang"), Map.of(), patient);
                outcome.complete(null);
            } catch (Throwable t) {
                outcome.complete(t);
            }
        });
        caller.start();
        seen.take(); // the first attempt reached the server
        caller.interrupt();

        Throwable thrown = outcome.get(10, TimeUnit.SECONDS);
        assertTrue(thrown instanceof InterruptedIOException, String.valueOf(thrown));
        assertEquals("GET " + url("/hang") + " interrupted", thrown.getMessage());
        assertEquals(null, seen.poll(), "no second attempt");
    }

    @Test
    void aResponseIsNeverRetriedWhateverItsStatus() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        server.createContext("/busy", exchange -> {
            calls.incrementAndGet();
            reply(exchange, 503, "busy");
        });
        HttpResult result = http.get(url("/busy"), Map.of(), HttpOptions.defaults().retries(3));
        assertEquals(503, result.status());
        assertEquals(1, calls.get());
    }

    @Test
    void aRefusedConnectionIsRetriedThenReportedWithTheAttempts() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        String nowhere = "http://127.0.0.1:" + closedPort + "/x";
        HttpOptions options = HttpOptions.defaults().retries(2).retryDelay(Duration.ZERO);

        HttpCallException e = assertThrows(HttpCallException.class, () -> http.post(nowhere, "{}", options));

        assertEquals(3, e.attempts());
        assertTrue(e.getMessage().startsWith("POST " + nowhere + ": no response after 3 attempts (last: connection refused"),
                e.getMessage());
    }

    @Test
    void passwordsNeverAppearInMessagesOrToString() {
        HttpOptions options = HttpOptions.defaults().basicAuth("admin", "topsecret").timeout(Duration.ofMillis(100));
        assertFalse(options.toString().contains("topsecret"), options.toString());

        String withUserInfo = "http://admin:topsecret@127.0.0.1:" + server.getAddress().getPort() + "/hang";
        HttpCallException e = assertThrows(HttpCallException.class, () -> http.get(withUserInfo, Map.of(), options));
        assertFalse(e.getMessage().contains("topsecret"), e.getMessage());
    }

    @Test
    void invalidArgumentsNameTheArgumentAndTheValue() {
        IllegalArgumentException relative = assertThrows(IllegalArgumentException.class, () -> http.get("/api/state"));
        assertEquals("url must be an absolute http:// or https:// URL with a host, was '/api/state'",
                relative.getMessage());
        IllegalArgumentException ftp = assertThrows(IllegalArgumentException.class, () -> http.get("ftp://host/x"));
        assertTrue(ftp.getMessage().contains("'ftp://host/x'"), ftp.getMessage());
        IllegalArgumentException spaces = assertThrows(IllegalArgumentException.class, () -> http.get("http://a b/"));
        assertTrue(spaces.getMessage().startsWith("url must be an absolute http:// or https:// URL, was 'http://a b/'"),
                spaces.getMessage());

        assertEquals("retries must be 0 to 100, was -1",
                assertThrows(IllegalArgumentException.class, () -> HttpOptions.defaults().retries(-1)).getMessage());
        assertEquals("timeout must be positive, was PT0S",
                assertThrows(IllegalArgumentException.class, () -> HttpOptions.defaults().timeout(Duration.ZERO))
                        .getMessage());
        assertEquals("retryDelay must not be negative, was PT-1S",
                assertThrows(IllegalArgumentException.class,
                        () -> HttpOptions.defaults().retryDelay(Duration.ofSeconds(-1))).getMessage());
        assertEquals("header 'X-Evil' must not contain a line break",
                assertThrows(IllegalArgumentException.class,
                        () -> HttpOptions.defaults().header("X-Evil", "a\r\nInjected: yes")).getMessage());

        IllegalArgumentException restricted = assertThrows(IllegalArgumentException.class,
                () -> http.get(url("/echo"), Map.of(), HttpOptions.defaults().header("Host", "elsewhere")));
        assertTrue(restricted.getMessage().startsWith("header 'Host' cannot be set"), restricted.getMessage());
        assertTrue(seen.isEmpty(), "nothing is sent when an argument is invalid");
    }

    @Test
    void optionsKeepTheSeedsDefaultsAndReplaceHeadersIgnoringCase() {
        HttpOptions defaults = HttpOptions.defaults();
        assertEquals(Duration.ofSeconds(3), defaults.timeout());
        assertEquals(0, defaults.retries());
        assertEquals(Duration.ofMillis(500), defaults.retryDelay());

        HttpOptions options = defaults.header("Accept", "text/plain").header("accept", "application/json");
        assertEquals(Map.of("accept", "application/json"), options.headers());
        assertTrue(defaults.headers().isEmpty(), "options are immutable");
    }

    @Test
    void defaultsGivenToTheHelperApplyToCallsWithoutOptions() throws Exception {
        HttpHelper withDefaults = new HttpHelper(HttpOptions.defaults().header("X-Gateway", "gw-1"));
        withDefaults.get(url("/echo"));
        assertEquals("gw-1", seen.take().headers().get("x-gateway"));
    }

    // ---- server side helpers ----------------------------------------------------------------------------

    private void record(HttpExchange exchange) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), values.get(0)));
        String body;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        seen.add(new Seen(exchange.getRequestMethod(), exchange.getRequestURI().getRawQuery(),
                exchange.getRequestURI().getPath(), headers, body));
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        boolean head = "HEAD".equals(exchange.getRequestMethod());
        exchange.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
