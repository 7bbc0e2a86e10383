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
 * target and Accept header, tagged with the change counts of the aggregates it is made of
 * ({@link CachedResponse#reads()}), read <em>before</em> the resource ran; it is served again only
 * while those counts are unchanged and for at most the time to live, so
 * a write by this server is visible to the very next read, and a write by another process on the
 * same database (a CLI beside the server) within the time to live. Every hit still authenticates
 * the bearer (the engine's own short-lived principal cache, on the engine's clock and never past
 * the session's or API key's expiry), so an expired,
 * revoked or unknown credential is never answered from here. A hit whose principal the engine
 * holds in memory is answered on the I/O thread; everything else is dispatched to a worker. Only
 * 200 answers are kept, with their paging headers ({@code X-Total-Count}, {@code Link}); the cache
 * is bounded in entries and bytes, least recently used first out. Writes to other aggregates
 * (health results written every tick, an env var) leave an answer in place.
 */
public final class ResponseCache {
    /** What the JSON writer fills in for a request that may be cached. */
    static final AttachmentKey<Pending> PENDING = AttachmentKey.create(Pending.class);
    /** Enough for every page, application and deployment list of 1,000 applications; the byte bound governs memory. */
    private static final int MAX_ENTRIES = 4096;
    private static final long MAX_BYTES = 8L * 1024 * 1024;
    private static final int MAX_BODY = 1024 * 1024;

    private final AccountService accounts;
    /** What the engine holds in memory of a bearer (never reads storage): the engine's server seam. */
    private final java.util.function.Function<String, Optional<Principal>> fromMemory;
    /** The change count of one aggregate, or with {@code null} of every write. */
    private final java.util.function.Function<String, OptionalLong> changeCount;
    /** The aggregates snapshotted before each cacheable request; index 0 is {@code null}, every write. */
    private final String[] aggregates;
    private static final java.util.List<io.undertow.util.HttpString> KEPT_HEADERS = java.util.List.of(
            new io.undertow.util.HttpString(Paging.TOTAL_COUNT), new io.undertow.util.HttpString(Paging.LINK));
    private final long timeToLiveNanos;
    private final Map<Key, Entry> entries = new LinkedHashMap<>(64, 0.75f, true);
    private long bytes;
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();

    /** RESTEasy negotiates on Accept (a 406 for text/plain), so the same target with another Accept is another answer. */
    private record Key(Principal principal, String target, String accept) {
    }

    /**
     * @param aggregates indexes into {@link #aggregates} of what the answer is made of
     * @param versions   their change counts before the answer was computed
     * @param headers    values of {@link #KEPT_HEADERS}, {@code null} where absent
     */
    private record Entry(int[] aggregates, long[] versions, long storedAtNanos, String contentType, byte[] body, String[] headers) {
    }

    /** A request on its way through RESTEasy whose answer may be kept. */
    static final class Pending {
        private final ResponseCache owner;
        private final Key key;
        private final long[] versions;
        /** Written by the resource's thread, read by whichever thread completes the exchange. */
        private volatile byte[] body;
        private volatile int[] reads;

        private Pending(ResponseCache owner, Key key, long[] versions) {
            this.owner = owner;
            this.key = key;
            this.versions = versions;
        }
    }

    /**
     * @param accounts    authenticates the bearer of every request answered from the cache
     * @param fromMemory  authenticates a bearer from memory only, on the I/O thread (empty: not known there)
     * @param changeCount the storage change count ({@code ServerSeam#changeCount}); empty turns caching off
     * @param timeToLive  the longest an answer is kept; zero turns caching off
     */
    public ResponseCache(AccountService accounts, java.util.function.Function<String, Optional<Principal>> fromMemory,
                         Supplier<OptionalLong> changeCount, Duration timeToLive) {
        this(accounts, fromMemory, aggregate -> changeCount.get(), java.util.Set.of(), timeToLive);
    }

    /**
     * @param fromMemory  authenticates a bearer from memory only, on the I/O thread (empty: not known there)
     * @param changeCount the change count of an aggregate, or with {@code null} of every write
     *                    ({@code ServerSeam#changeCount(String)}); empty turns caching off
     * @param aggregates  every aggregate a {@link CachedResponse#reads()} names (others count as every write)
     * @param timeToLive  the longest an answer is kept; zero turns caching off
     */
    public ResponseCache(AccountService accounts, java.util.function.Function<String, Optional<Principal>> fromMemory,
                         java.util.function.Function<String, OptionalLong> changeCount, java.util.Set<String> aggregates,
                         Duration timeToLive) {
        this.accounts = accounts;
        this.fromMemory = fromMemory;
        this.changeCount = changeCount;
        this.aggregates = java.util.stream.Stream.concat(java.util.stream.Stream.of((String) null),
                aggregates.stream().sorted()).toArray(String[]::new);
        this.timeToLiveNanos = timeToLive.toNanos();
    }

    /** Every aggregate named by a {@link CachedResponse} method of {@code resources}. */
    public static java.util.Set<String> aggregatesRead(java.util.Collection<Object> resources) {
        java.util.Set<String> names = new java.util.TreeSet<>();
        for (Object resource : resources) {
            for (java.lang.reflect.Method method : resource.getClass().getMethods()) {
                CachedResponse cached = method.getAnnotation(CachedResponse.class);
                if (cached != null) {
                    names.addAll(java.util.List.of(cached.reads()));
                }
            }
        }
        return names;
    }

    /** The change counts of every aggregate, or {@code null} when storage does not count writes. */
    private long[] snapshot() {
        long[] versions = new long[aggregates.length];
        for (int i = 0; i < aggregates.length; i++) {
            OptionalLong version = changeCount.apply(aggregates[i]);
            if (version.isEmpty()) {
                return null;
            }
            versions[i] = version.getAsLong();
        }
        return versions;
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
                if (changeCount.apply(null).isEmpty()) {
                    next.handleRequest(exchange); // a storage that does not count writes: nothing is cached
                    return;
                }
                String bearer = authorization.substring(7).strip();
                if (exchange.isInIoThread()) {
                    // On the I/O thread only what the engine holds in memory: a hit is answered right here,
                    // anything else goes to a worker (authenticating may read storage).
                    Optional<Principal> known = fromMemory.apply(bearer);
                    Entry entry = known.isEmpty() ? null : find(key(exchange, known.get()));
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
                Entry entry = find(key);
                if (entry != null) {
                    send(exchange, entry);
                    return;
                }
                long[] versions = snapshot(); // before the resource reads storage
                if (versions == null) {
                    next.handleRequest(exchange);
                    return;
                }
                misses.incrementAndGet();
                Pending pending = new Pending(ResponseCache.this, key, versions);
                exchange.putAttachment(PENDING, pending);
                exchange.addExchangeCompleteListener((completed, nextListener) -> {
                    String contentType = completed.getResponseHeaders().getFirst(Headers.CONTENT_TYPE);
                    if (completed.getStatusCode() == 200 && pending.body != null && contentType != null) {
                        String[] headers = new String[KEPT_HEADERS.size()];
                        for (int i = 0; i < headers.length; i++) {
                            headers[i] = completed.getResponseHeaders().getFirst(KEPT_HEADERS.get(i));
                        }
                        store(pending, contentType, headers);
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
    static void offer(byte[] body, java.lang.annotation.Annotation[] annotations) {
        ServletRequestContext context = ServletRequestContext.current();
        if (context == null || body.length > MAX_BODY || annotations == null) {
            return;
        }
        Pending pending = context.getExchange().getAttachment(PENDING);
        if (pending == null) {
            return;
        }
        for (java.lang.annotation.Annotation annotation : annotations) {
            if (annotation instanceof CachedResponse cached) {
                pending.reads = pending.owner.indexes(cached.reads());
                pending.body = body;
                return;
            }
        }
    }

    /** Indexes of the named aggregates; any name not snapshotted falls back to every write (index 0). */
    private int[] indexes(String[] names) {
        if (names.length == 0) {
            return new int[] {0};
        }
        java.util.Set<Integer> found = new java.util.TreeSet<>();
        for (String name : names) {
            int index = java.util.Arrays.asList(aggregates).indexOf(name);
            found.add(index < 0 ? 0 : index);
        }
        return found.stream().mapToInt(Integer::intValue).toArray();
    }

    private void send(HttpServerExchange exchange, Entry entry) {
        hits.incrementAndGet();
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, entry.contentType());
        exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, entry.body().length);
        for (int i = 0; i < KEPT_HEADERS.size(); i++) {
            if (entry.headers()[i] != null) {
                exchange.getResponseHeaders().put(KEPT_HEADERS.get(i), entry.headers()[i]);
            }
        }
        exchange.getResponseSender().send(ByteBuffer.wrap(entry.body()));
    }

    /** The kept answer for {@code key} if it is still current; a stale one is dropped. */
    private synchronized Entry find(Key key) {
        Entry entry = entries.get(key);
        if (entry != null && current(entry) && System.nanoTime() - entry.storedAtNanos() < timeToLiveNanos) {
            return entry;
        }
        if (entry != null) {
            remove(key);
        }
        return null;
    }

    /** Whether none of the aggregates the entry is made of changed since it was computed. */
    private boolean current(Entry entry) {
        for (int i = 0; i < entry.aggregates().length; i++) {
            OptionalLong now = changeCount.apply(aggregates[entry.aggregates()[i]]);
            if (now.isEmpty() || now.getAsLong() != entry.versions()[i]) {
                return false;
            }
        }
        return true;
    }

    private synchronized void store(Pending pending, String contentType, String[] headers) {
        int[] reads = pending.reads;
        long[] versions = new long[reads.length];
        for (int i = 0; i < reads.length; i++) {
            versions[i] = pending.versions[reads[i]];
        }
        remove(pending.key);
        entries.put(pending.key, new Entry(reads, versions, System.nanoTime(), contentType, pending.body, headers));
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
