package io.ployer.server.http;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.URLDecodingHandler;
import io.undertow.util.Headers;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes the request's path and query itself (the listener leaves URLs undecoded), so a URL that is
 * not percent-encoded UTF-8 ({@code %zz}, {@code %FF%FE}) gets the API's JSON 400 with the security
 * headers instead of Undertow's bare connection-level 400; a valid URL is decoded as Undertow would.
 */
public final class StrictUrlHandler implements HttpHandler {
    private final HttpHandler decoding;

    public StrictUrlHandler(HttpHandler next) {
        this.decoding = new URLDecodingHandler(next, StandardCharsets.UTF_8.name());
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (!isPercentEncodedUtf8(exchange.getRequestPath())) {
            reject(exchange, "path", "the URL path is not valid percent-encoded UTF-8 or holds a control character");
            return;
        }
        if (!isPercentEncodedUtf8(exchange.getQueryString())) {
            reject(exchange, "query", "the URL query is not valid percent-encoded UTF-8 or holds a control character");
            return;
        }
        decoding.handleRequest(exchange);
    }

    /**
     * Whether every {@code %} starts a two-hex-digit escape, the decoded bytes are UTF-8 and they
     * hold no control character.
     */
    static boolean isPercentEncodedUtf8(String raw) {
        if (raw == null || raw.indexOf('%') < 0) {
            return true;
        }
        ByteBuffer bytes = ByteBuffer.allocate(raw.length() * 4);
        for (int i = 0; i < raw.length(); i++) {
            char character = raw.charAt(i);
            if (character == '%') {
                if (i + 2 >= raw.length()) {
                    return false;
                }
                int high = Character.digit(raw.charAt(i + 1), 16);
                int low = Character.digit(raw.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    return false;
                }
                bytes.put((byte) (high * 16 + low));
                i += 2;
            } else if (character <= 0xFF) {
                bytes.put((byte) character); // the listener hands undecoded bytes over one char each
            } else {
                bytes.put(String.valueOf(character).getBytes(StandardCharsets.UTF_8));
            }
        }
        bytes.flip();
        try {
            CharSequence decoded = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes);
            return decoded.chars().noneMatch(character -> character < ' ' || character == 127);
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static void reject(HttpServerExchange exchange, String field, String message) {
        exchange.setStatusCode(400);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseSender().send(JsonErrors.body("INVALID_ARGUMENT", message, field), StandardCharsets.UTF_8);
    }
}
