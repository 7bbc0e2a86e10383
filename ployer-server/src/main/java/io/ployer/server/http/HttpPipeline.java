package io.ployer.server.http;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Undertow handlers in front of the REST resources: body size limits answered with a JSON 413
 * before the body is read, security headers on every response, and one request-log line with the
 * latency (the path only: query strings may carry tokens).
 */
public final class HttpPipeline {
    private static final Logger REQUEST_LOG = LoggerFactory.getLogger("io.ployer.server.requests");

    /** The default body limit. */
    public static final long DEFAULT_BODY_LIMIT = 1024 * 1024;
    /** The body limit of webhook receivers (forges send large pushes). */
    public static final long WEBHOOK_BODY_LIMIT = 25L * 1024 * 1024;

    private HttpPipeline() {
    }

    /** Wraps {@code next} with the limits, headers and request log. */
    public static HttpHandler wrap(HttpHandler next) {
        HttpHandler limited = exchange -> {
            long limit = exchange.getRelativePath().startsWith("/api/v1/webhooks/") ? WEBHOOK_BODY_LIMIT : DEFAULT_BODY_LIMIT;
            long declared = exchange.getRequestContentLength();
            if (declared > limit) {
                rejectTooLarge(exchange, limit);
                return;
            }
            exchange.setMaxEntitySize(limit);
            next.handleRequest(exchange);
        };
        return exchange -> {
            long start = System.nanoTime();
            exchange.addExchangeCompleteListener((completed, nextListener) -> {
                long micros = (System.nanoTime() - start) / 1000;
                REQUEST_LOG.info("{} {} {} {}ms", completed.getRequestMethod(), completed.getRequestPath(),
                        completed.getStatusCode(), String.format(java.util.Locale.ROOT, "%.1f", micros / 1000.0));
                nextListener.proceed();
            });
            securityHeaders(exchange);
            limited.handleRequest(exchange);
        };
    }

    static void securityHeaders(HttpServerExchange exchange) {
        exchange.getResponseHeaders()
                .put(new HttpString("X-Content-Type-Options"), "nosniff")
                .put(new HttpString("X-Frame-Options"), "DENY")
                .put(new HttpString("Referrer-Policy"), "no-referrer")
                .put(new HttpString("Content-Security-Policy"), "default-src 'none'; frame-ancestors 'none'")
                .put(new HttpString("Cache-Control"), "no-store");
    }

    private static void rejectTooLarge(HttpServerExchange exchange, long limit) {
        exchange.setStatusCode(413);
        exchange.setPersistent(false);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseSender().send("{\"error\":{\"code\":\"PAYLOAD_TOO_LARGE\",\"message\":\"the request body is larger than "
                + limit + " bytes\",\"field\":\"body\"}}", StandardCharsets.UTF_8);
    }
}
