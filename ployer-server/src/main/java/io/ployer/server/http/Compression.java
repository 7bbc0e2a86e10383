package io.ployer.server.http;

import io.undertow.predicate.Predicates;
import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.encoding.ContentEncodingRepository;
import io.undertow.server.handlers.encoding.EncodingHandler;
import io.undertow.server.handlers.encoding.GzipEncodingProvider;
import io.undertow.util.HttpString;

/**
 * Gzip for REST answers: a response whose body is larger than {@value #MIN_BYTES} bytes (by its
 * Content-Length, which every JSON answer has) is compressed when the request accepts gzip, and
 * every answer says {@code Vary: Accept-Encoding}. It wraps the response cache, so an answer served
 * from memory is compressed the same way as a computed one. Smaller answers go out as they are.
 */
public final class Compression {
    /** Bodies up to this size are not compressed: gzip's header and the CPU would not pay off. */
    public static final long MIN_BYTES = 1024;
    private static final HttpString VARY = new HttpString("Vary");

    private Compression() {
    }

    /**
     * Wraps {@code next} with gzip for large bodies and the Vary header. Undertow deprecates
     * {@code maxContentSize} without a replacement for the response's size (its {@code requestLargerThan}
     * reads the request's), so it stays.
     */
    @SuppressWarnings("deprecation")
    public static HttpHandler wrap(HttpHandler next) {
        HttpHandler encoding = new EncodingHandler(new ContentEncodingRepository()
                .addEncodingHandler("gzip", new GzipEncodingProvider(), 50, Predicates.maxContentSize(MIN_BYTES - 1))).setNext(next);
        return exchange -> {
            exchange.getResponseHeaders().add(VARY, "Accept-Encoding");
            encoding.handleRequest(exchange);
        };
    }
}
