package io.ployer.server.http;

import io.undertow.server.HttpHandler;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the heap back after password hashing. An argon2id hash (OWASP's 19 MiB, 2 iterations)
 * allocates its 19 MiB as one burst of old-generation blocks; the serial collector grows the heap
 * for it and only shrinks it back (bin/jvm.options: {@code MaxHeapFreeRatio=20}) at a full
 * collection, which an otherwise quiet server may not run for hours. So a login left the server
 * ~30 MiB larger for good. Once the requests that hash a password (register, login, password
 * change) have been quiet for {@link #QUIET} this asks for one full collection (about 20-40 ms on
 * a ~15 MiB live set, on a thread of its own, never on a request), after which the JVM uncommits
 * the shrunk heap. The server owns its JVM; an embedded engine never does this.
 */
public final class HeapTrimmer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HeapTrimmer.class);
    static final long QUIET = TimeUnit.SECONDS.toMillis(2);
    private static final Set<String> HASHING_PATHS = Set.of(
            ApiPaths.PREFIX + "/auth/register",
            ApiPaths.PREFIX + "/auth/login",
            ApiPaths.PREFIX + "/auth/password",
            ApiPaths.PREFIX + "/auth/totp/disable");

    private ScheduledExecutorService scheduler;
    private ScheduledFuture<?> pending;
    private long collections;

    /** Wraps {@code next}: a finished POST to a hashing path schedules the collection. */
    public HttpHandler wrap(HttpHandler next) {
        return exchange -> {
            if (exchange.getRequestMethod().equalToString("POST") && HASHING_PATHS.contains(exchange.getRequestPath())) {
                exchange.addExchangeCompleteListener((completed, nextListener) -> {
                    schedule();
                    nextListener.proceed();
                });
            }
            next.handleRequest(exchange);
        };
    }

    /** Schedules one collection {@link #QUIET} after the last hashing request (made on first use). */
    synchronized void schedule() {
        if (scheduler == null) {
            scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "ployer-heap-trim");
                thread.setDaemon(true);
                return thread;
            });
        }
        if (pending != null) {
            pending.cancel(false);
        }
        pending = scheduler.schedule(this::collect, QUIET, TimeUnit.MILLISECONDS);
    }

    private void collect() {
        long start = System.nanoTime();
        System.gc();
        synchronized (this) {
            collections++;
        }
        LOG.debug("heap collected after password hashing in {} ms", (System.nanoTime() - start) / 1_000_000);
    }

    /** How many collections ran (for tests). */
    public synchronized long collections() {
        return collections;
    }

    @Override
    public synchronized void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }
}
