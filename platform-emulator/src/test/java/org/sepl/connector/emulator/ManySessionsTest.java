package org.sepl.connector.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/** The emulator holds a thousand gateways at once: all handshake, all stay open, a restart closes all. */
class ManySessionsTest {

    static final int GATEWAYS = 1_000;

    /** One bare gateway: completes {@code gid} with the handshake's answer and {@code closed} with the close code. */
    private static final class Gateway implements WebSocket.Listener {
        final CompletableFuture<String> gid = new CompletableFuture<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                JsonObject answer = JsonParser.parseString(partial.toString()).getAsJsonObject();
                partial.setLength(0);
                if (answer.get("status").getAsInt() == 200) {
                    gid.complete(answer.getAsJsonObject("payload").get("gid").getAsString());
                } else {
                    gid.completeExceptionally(new AssertionError("handshake answered " + answer));
                }
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            gid.completeExceptionally(error);
            closed.complete(1006);
        }
    }

    @Test
    void aThousandGatewaysHandshakeAtOnceAndAPlatformRestartClosesThemAll() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        try (PlatformEmulator platform = PlatformEmulator.builder().user("alice", "secret").start()) {
            String credentials = "{\"user\":\"alice\",\"pw\":\"secret\",\"gid\":\"\",\"token\":\"credentials\"}";
            List<Gateway> gateways = new ArrayList<>();
            List<CompletableFuture<WebSocket>> sockets = new ArrayList<>();
            for (int i = 0; i < GATEWAYS; i++) {
                Gateway g = new Gateway();
                gateways.add(g);
                sockets.add(http.newWebSocketBuilder().buildAsync(platform.uri(), g)
                        .thenCompose(ws -> ws.sendText(credentials, true)));
            }
            CompletableFuture.allOf(sockets.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            Set<String> ids = new HashSet<>();
            for (Gateway g : gateways) {
                ids.add(g.gid.get(60, TimeUnit.SECONDS));
            }

            assertEquals(GATEWAYS, ids.size(), "every gateway got its own id");
            assertEquals(GATEWAYS, platform.openSessions());
            assertEquals(GATEWAYS, platform.gateways().size());
            assertEquals(GATEWAYS, platform.requestCount("handshake"));
            assertEquals(GATEWAYS, platform.connectionAttempts());

            platform.closeAllSessions();
            for (Gateway g : gateways) {
                assertEquals(1001, g.closed.get(60, TimeUnit.SECONDS));
            }
        }
    }
}
