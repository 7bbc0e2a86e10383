package io.ployer.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.undertow.server.DefaultResponseListener;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;
import java.nio.charset.StandardCharsets;

/**
 * The API's JSON error body for answers made below JAX-RS (Undertow handlers): the same
 * {@code {"error":{"code","message","field"}}} as {@link ErrorMapper} writes.
 */
public final class JsonErrors {
    private static final ObjectMapper JSON = JsonMapper.create();

    private JsonErrors() {
    }

    static String body(String code, String message, String field) {
        try {
            return JSON.writeValueAsString(ErrorBody.of(code, message, field));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an error body always serialises", e);
        }
    }

    /**
     * Gives every error answer under the API prefix that is about to go out without a body (a
     * handler set only a status, e.g. the WebSocket endpoint asked without an upgrade) the JSON
     * error body.
     */
    static final DefaultResponseListener EMPTY_ERRORS = exchange -> {
        if (exchange.isResponseStarted() || exchange.getStatusCode() < 400 || !isApi(exchange)) {
            return false;
        }
        int status = exchange.getStatusCode();
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseSender().send(body(code(status), message(status), null), StandardCharsets.UTF_8);
        return true;
    };

    /**
     * The WebSocket endpoint asked without an upgrade (a plain GET): a JSON 426 saying how to open
     * it, instead of the handshake handler's empty 404.
     */
    public static io.undertow.server.HttpHandler webSocketOnly(io.undertow.server.HttpHandler webSocket) {
        return exchange -> {
            String upgrade = exchange.getRequestHeaders().getFirst(Headers.UPGRADE);
            if (upgrade != null && upgrade.equalsIgnoreCase("websocket")) {
                webSocket.handleRequest(exchange);
                return;
            }
            exchange.setStatusCode(426);
            exchange.getResponseHeaders().put(Headers.UPGRADE, "websocket");
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
            exchange.getResponseSender().send(body("UPGRADE_REQUIRED",
                    "this endpoint speaks WebSocket: open it with an Upgrade: websocket request", null), StandardCharsets.UTF_8);
        };
    }

    static String code(int status) {
        return switch (status) {
            case 400 -> "INVALID_ARGUMENT";
            case 401 -> "UNAUTHENTICATED";
            case 403 -> "PERMISSION_DENIED";
            case 404 -> "NOT_FOUND";
            case 405 -> "METHOD_NOT_ALLOWED";
            case 413 -> "PAYLOAD_TOO_LARGE";
            case 503 -> "UNAVAILABLE";
            default -> status >= 500 ? "INTERNAL_ERROR" : "HTTP_" + status;
        };
    }

    static String message(int status) {
        return switch (status) {
            case 404 -> "no such resource";
            case 405 -> "this method is not allowed on this resource";
            default -> status >= 500 ? "the server could not answer; see the server log"
                    : "the request was rejected: " + StatusCodes.getReason(status).toLowerCase(java.util.Locale.ROOT);
        };
    }

    /** Whether the exchange is an API request (the prefix itself or below it). */
    static boolean isApi(HttpServerExchange exchange) {
        String path = exchange.getRequestPath();
        return path.equals(ApiPaths.PREFIX) || path.startsWith(ApiPaths.PREFIX + "/");
    }
}
