package io.ployer.server.http;

import io.ployer.server.logging.LogText;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Undertow handlers in front of the REST resources: a per-client rate limit (token buckets,
 * Bucket4j) answered with a JSON 429, body size limits answered with a JSON 413 without parsing the body
 * (a body up to 8 MiB past the limit is read and dropped first, so the client gets the answer), CORS for configured origins, security headers on every response, and one request-log line
 * with the latency (the path only: query strings may carry tokens; control characters escaped,
 * so a {@code %0d%0a} in the path cannot start a forged line).
 */
public final class HttpPipeline {
    private static final Logger LOG = LoggerFactory.getLogger(HttpPipeline.class);
    private static final Logger REQUEST_LOG = LoggerFactory.getLogger("io.ployer.server.requests");

    /** The default body limit. */
    public static final long DEFAULT_BODY_LIMIT = 1024 * 1024;
    /** The body limit of webhook receivers (forges send large pushes). */
    public static final long WEBHOOK_BODY_LIMIT = 25L * 1024 * 1024;

    /** How far past its limit a declared body is still read (and dropped) before the 413. */
    private static final long DRAIN_LIMIT = 8L * 1024 * 1024;
    private static final int MAX_TRACKED_CLIENTS = 10_000;
    private static final HttpString ALLOW_ORIGIN = new HttpString("Access-Control-Allow-Origin");
    private static final HttpString VARY = new HttpString("Vary");
    private static final HttpString ALLOW_HEADERS = new HttpString("Access-Control-Allow-Headers");
    private static final HttpString ALLOW_METHODS = new HttpString("Access-Control-Allow-Methods");
    private static final HttpString MAX_AGE = new HttpString("Access-Control-Max-Age");
    private static final HttpString EXPOSE_HEADERS = new HttpString("Access-Control-Expose-Headers");
    private static final HttpString RETRY_AFTER = new HttpString("Retry-After");
    private static final HttpString CONTENT_TYPE_OPTIONS = new HttpString("X-Content-Type-Options");
    private static final HttpString FRAME_OPTIONS = new HttpString("X-Frame-Options");
    private static final HttpString REFERRER_POLICY = new HttpString("Referrer-Policy");
    private static final HttpString CONTENT_SECURITY_POLICY = new HttpString("Content-Security-Policy");
    private static final HttpString CACHE_CONTROL = new HttpString("Cache-Control");

    private final ServerSettings settings;
    private final java.util.Map<String, io.github.bucket4j.Bucket> buckets = new java.util.LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<String, io.github.bucket4j.Bucket> eldest) {
            // Bounded: a flood of client addresses cannot grow the table without end.
            return size() > MAX_TRACKED_CLIENTS;
        }
    };

    /** Told about every finished request: method, status, nanoseconds. */
    @FunctionalInterface
    public interface RequestListener {
        void completed(String method, int status, long nanos);
    }

    private final RequestListener listener;

    public HttpPipeline(ServerSettings settings, RequestListener listener) {
        this.settings = settings;
        this.listener = listener;
    }

    private boolean allow(String client) {
        if (settings.requestsPerMinute() <= 0) {
            return true;
        }
        io.github.bucket4j.Bucket bucket;
        synchronized (buckets) {
            bucket = buckets.computeIfAbsent(client, key -> io.github.bucket4j.Bucket.builder()
                    .addLimit(limit -> limit.capacity(settings.requestsPerMinute())
                            .refillGreedy(settings.requestsPerMinute(), java.time.Duration.ofMinutes(1)))
                    .build());
        }
        return bucket.tryConsume(1);
    }

    private boolean cors(HttpServerExchange exchange) {
        String origin = exchange.getRequestHeaders().getFirst(Headers.ORIGIN);
        if (origin == null || settings.corsOrigins().isEmpty()) {
            return false;
        }
        boolean allowed = settings.corsOrigins().contains("*") || settings.corsOrigins().contains(origin);
        if (!allowed) {
            return false;
        }
        exchange.getResponseHeaders()
                .put(ALLOW_ORIGIN, origin)
                .put(VARY, "Origin")
                .put(ALLOW_HEADERS, "Authorization, Content-Type")
                .put(ALLOW_METHODS, "GET, POST, PUT, DELETE, OPTIONS")
                .put(MAX_AGE, "600")
                // A browser client pages with these; unlisted, cross-origin scripts cannot read them.
                .put(EXPOSE_HEADERS, "X-Total-Count, Link, Retry-After");
        return true;
    }

    /** Wraps {@code next} with the limits, headers and request log. */
    public HttpHandler wrap(HttpHandler next) {
        HttpHandler limited = exchange -> {
            long limit = exchange.getRelativePath().startsWith("/api/v1/webhooks/") ? WEBHOOK_BODY_LIMIT : DEFAULT_BODY_LIMIT;
            long declared = exchange.getRequestContentLength();
            if (declared > limit) {
                if (declared <= limit + DRAIN_LIMIT) {
                    // Read and drop the body first (on a worker thread, blocking): closing a connection
                    // with unread bytes makes the kernel reset it, and the client may lose the 413.
                    exchange.setMaxEntitySize(limit + DRAIN_LIMIT); // the listener's own ceiling would stop the read
                    exchange.dispatch(() -> {
                        exchange.startBlocking();
                        try {
                            exchange.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
                        } catch (java.io.IOException unread) {
                            // the rest could not be read: answer all the same (the connection closes after)
                            LOG.debug("an oversized body was not read to its end: {}", unread.toString());
                        }
                        rejectTooLarge(exchange, limit);
                    });
                } else {
                    rejectTooLarge(exchange, limit);
                }
                return;
            }
            exchange.setMaxEntitySize(limit);
            next.handleRequest(exchange);
        };
        return exchange -> {
            long start = System.nanoTime();
            exchange.addExchangeCompleteListener((completed, nextListener) -> {
                long nanos = System.nanoTime() - start;
                long micros = nanos / 1000;
                listener.completed(completed.getRequestMethod().toString(), completed.getStatusCode(), nanos);
                if (REQUEST_LOG.isInfoEnabled()) {
                    // The decoded path is the client's text: escaped here too, for an operator's own log configuration.
                    REQUEST_LOG.info("{} {} {} {}.{}ms", LogText.escape(completed.getRequestMethod().toString()),
                            LogText.escape(completed.getRequestPath()),
                            completed.getStatusCode(), micros / 1000, (micros % 1000) / 100);
                }
                nextListener.proceed();
            });
            securityHeaders(exchange);
            exchange.addDefaultResponseListener(JsonErrors.EMPTY_ERRORS);
            boolean crossOrigin = cors(exchange);
            if (crossOrigin && exchange.getRequestMethod().equalToString("OPTIONS")) {
                exchange.setStatusCode(204);
                exchange.endExchange();
                return;
            }
            String client = exchange.getSourceAddress() == null ? "unknown" : exchange.getSourceAddress().getAddress().getHostAddress();
            if (!allow(client)) {
                exchange.setStatusCode(429);
                exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
                exchange.getResponseHeaders().put(RETRY_AFTER, "60");
                exchange.getResponseSender().send("{\"error\":{\"code\":\"RATE_LIMITED\",\"message\":\"more than "
                        + settings.requestsPerMinute() + " requests a minute from this client; slow down\",\"field\":null}}",
                        StandardCharsets.UTF_8);
                return;
            }
            limited.handleRequest(exchange);
        };
    }

    static void securityHeaders(HttpServerExchange exchange) {
        exchange.getResponseHeaders()
                .put(CONTENT_TYPE_OPTIONS, "nosniff")
                .put(FRAME_OPTIONS, "DENY")
                .put(REFERRER_POLICY, "no-referrer")
                .put(CONTENT_SECURITY_POLICY, "default-src 'none'; frame-ancestors 'none'")
                .put(CACHE_CONTROL, "no-store");
    }

    private static void rejectTooLarge(HttpServerExchange exchange, long limit) {
        exchange.setStatusCode(413);
        exchange.setPersistent(false);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseSender().send("{\"error\":{\"code\":\"PAYLOAD_TOO_LARGE\",\"message\":\"the request body is larger than "
                + limit + " bytes\",\"field\":\"body\"}}", StandardCharsets.UTF_8);
    }
}
