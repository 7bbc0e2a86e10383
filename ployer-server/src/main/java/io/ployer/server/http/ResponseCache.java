package io.ployer.server.http;

import io.ployer.api.account.AccountService;
import io.ployer.api.account.AccountService.Principal;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.servlet.handlers.ServletRequestContext;
import io.undertow.util.AttachmentKey;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Serves repeated GETs of {@link CachedResponse} resources from memory, in front of RESTEasy.
 *
 * <p>An answer is kept per caller (the authenticated principal, never the raw token), request
 * target and Accept header, tagged with the storage change count read <em>before</em> the resource
 * ran; it is served again only while that count is unchanged and for at most the time to live, so
 * a write by this server is visible to the very next read, and a write by another process on the
 * same database (a CLI beside the server) within the time to live. Every hit still authenticates
 * the bearer (the engine's own short-lived principal cache, on the engine's clock and never past
 * the session's or API key's expiry), so an expired,
 * revoked or unknown credential is never answered from here. A hit whose principal the engine
 * holds in memory is answered on the I/O thread; everything else is dispatched to a worker. Only
 * 200 answers are kept; the cache is bounded in entries and bytes, least recently used first out.
 */
public final class ResponseCache {
    /** What the JSON writer fills in for a request that may be cached. */
    static final AttachmentKey<Pending> PENDING = AttachmentKey.create(Pending.class);
    private static final int MAX_ENTRIES = 512;
    private static final long MAX_BYTES = 8L * 1024 * 1024;
    private static final int MAX_BODY = 1024 * 1024;

    private final AccountService accounts;
    private final Supplier<OptionalLong> changeCount;
    private final long timeToLiveNanos;
    private final Map<Key, Entry> entries = new LinkedHashMap<>(64, 0.75f, true);
    private long bytes;
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();

    /** RESTEasy negotiates on Accept (a 406 for text/plain), so the same target with another Accept is another answer. */
    private record Key(Principal principal, String target, String accept) {
    }

    private record Entry(long version, long storedAtNanos, String contentType, byte[] body) {
    }

    /** A request on its way through RESTEasy whose answer may be kept. */
    static final class Pending {
        private final Key key;
        private final long version;
        /** Written by the resource's thread, read by whichever thread completes the exchange. */
        private volatile byte[] body;

        private Pending(Key key, long version) {
            this.key = key;
            this.version = version;
        }
    }

    /**
     * @param accounts    authenticates the bearer of every request answered from the cache
     * @param changeCount the storage change count ({@code Administration#changeCount}); empty turns caching off
     * @param timeToLive  the longest an answer is kept; zero turns caching off
     */
    public ResponseCache(AccountService accounts, Supplier<OptionalLong> changeCount, Duration timeToLive) {
        this.accounts = accounts;
        this.changeCount = changeCount;
        this.timeToLiveNanos = timeToLive.toNanos();
    }

    /** Wraps the REST handler: GETs with a bearer are answered from the cache where they can be. */
    public HttpHandler wrap(HttpHandler next) {
        if (timeToLiveNanos <= 0) {
            return next;
        }
        return new HttpHandler() {
            @Override
            public void handleRequest(HttpServerExchange exchange) throws Exception {
                String authorization = exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
                if (!exchange.getRequestMethod().equals(Methods.GET) || authorization == null
                        || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
                    next.handleRequest(exchange);
                    return;
                }
                OptionalLong version = changeCount.get();
                if (version.isEmpty()) {
                    next.handleRequest(exchange); // a storage that does not count writes: nothing is cached
                    return;
                }
                String bearer = authorization.substring(7).strip();
                if (exchange.isInIoThread()) {
                    // On the I/O thread only what the engine holds in memory: a hit is answered right here,
                    // anything else goes to a worker (authenticating may read storage).
                    Optional<Principal> known = accounts.authenticateFromMemory(bearer);
                    Entry entry = known.isEmpty() ? null : find(key(exchange, known.get()), version.getAsLong());
                    if (entry != null) {
                        send(exchange, entry);
                    } else {
                        exchange.dispatch(this);
                    }
                    return;
                }
                Optional<Principal> principal = accounts.authenticate(bearer);
                if (principal.isEmpty()) {
                    next.handleRequest(exchange); // RESTEasy gives the 401
                    return;
                }
                Key key = key(exchange, principal.get());
                Entry entry = find(key, version.getAsLong());
                if (entry != null) {
                    send(exchange, entry);
                    return;
                }
                misses.incrementAndGet();
                Pending pending = new Pending(key, version.getAsLong());
                exchange.putAttachment(PENDING, pending);
                exchange.addExchangeCompleteListener((completed, nextListener) -> {
                    String contentType = completed.getResponseHeaders().getFirst(Headers.CONTENT_TYPE);
                    if (completed.getStatusCode() == 200 && pending.body != null && contentType != null) {
                        store(pending, contentType);
                    }
                    nextListener.proceed();
                });
                next.handleRequest(exchange);
            }
        };
    }

    private static Key key(HttpServerExchange exchange, Principal principal) {
        String query = exchange.getQueryString();
        return new Key(principal, query.isEmpty() ? exchange.getRequestPath() : exchange.getRequestPath() + "?" + query,
                exchange.getRequestHeaders().getFirst(Headers.ACCEPT));
    }

    /**
     * Offers the serialised answer of a {@link CachedResponse} method of the request being served
     * on this thread; kept only if that request came through {@link #wrap} and answers 200.
     */
    static void offer(byte[] body) {
        ServletRequestContext context = ServletRequestContext.current();
        if (context == null || body.length > MAX_BODY) {
            return;
        }
        Pending pending = context.getExchange().getAttachment(PENDING);
        if (pending != null) {
            pending.body = body;
        }
    }

    private void send(HttpServerExchange exchange, Entry entry) {
        hits.incrementAndGet();
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, entry.contentType());
        exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, entry.body().length);
        exchange.getResponseSender().send(ByteBuffer.wrap(entry.body()));
    }

    /** The kept answer for {@code key} if it is still current; a stale one is dropped. */
    private synchronized Entry find(Key key, long version) {
        Entry entry = entries.get(key);
        if (entry != null && entry.version() == version && System.nanoTime() - entry.storedAtNanos() < timeToLiveNanos) {
            return entry;
        }
        if (entry != null) {
            remove(key);
        }
        return null;
    }

    private synchronized void store(Pending pending, String contentType) {
        remove(pending.key);
        entries.put(pending.key, new Entry(pending.version, System.nanoTime(), contentType, pending.body));
        bytes += pending.body.length;
        var eldest = entries.entrySet().iterator();
        while ((entries.size() > MAX_ENTRIES || bytes > MAX_BYTES) && eldest.hasNext()) {
            bytes -= eldest.next().getValue().body().length;
            eldest.remove();
        }
    }

    private void remove(Key key) {
        Entry removed = entries.remove(key);
        if (removed != null) {
            bytes -= removed.body().length;
        }
    }

    /** Answers served from memory and answers that had to be computed, since start. */
    public synchronized Statistics statistics() {
        return new Statistics(hits.get(), misses.get(), entries.size(), bytes);
    }

    /**
     * @param hits    requests answered from memory
     * @param misses  cacheable-looking requests that went to the resource
     * @param entries answers held now
     * @param bytes   bytes held now
     */
    public record Statistics(long hits, long misses, int entries, long bytes) {
    }
}
