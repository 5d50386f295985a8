package org.sepl.connector.impl.outbox;

import java.util.concurrent.CompletableFuture;

import org.sepl.connector.api.Response;
import org.sepl.connector.impl.executor.UserCallbacks;

/**
 * Who waits for a message's answer: a caller (its stage completes on the callback lane, where its dependent actions
 * run), or the client itself (a blocking call, a handler's answer: completed where the outcome is known).
 */
record Waiter(CompletableFuture<Response> answered, boolean caller) {

    void complete(UserCallbacks callers, Response response, Throwable error) {
        if (caller) {
            if (error != null) {
                callers.fail(answered, error);
            } else {
                callers.complete(answered, response);
            }
        } else if (error != null) {
            answered.completeExceptionally(error);
        } else {
            answered.complete(response);
        }
    }
}
