package io.ployer.testkit.proxy;

import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.spi.proxy.ProxyStatus;
import io.ployer.spi.proxy.ReverseProxy;
import io.ployer.spi.proxy.Route;
import io.ployer.testkit.Hold;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An in-memory reverse proxy: a map of routes by application. A test can hold {@link #apply} (a
 * switch in progress), make the next apply fail, or make the proxy unreachable. Thread-safe.
 */
public final class TestingReverseProxy implements ReverseProxy {
    private final Map<String, Route> routes = new TreeMap<>();
    private final List<Route> applied = new ArrayList<>();
    private final Deque<RuntimeException> applyFailures = new ArrayDeque<>();
    private final Hold applyHold = new Hold();
    private volatile boolean reachable = true;

    /** The hold every {@link #apply} passes first. */
    public Hold applyHold() {
        return applyHold;
    }

    /** Makes the next apply throw {@code failure}. */
    public synchronized void failNextApply(RuntimeException failure) {
        applyFailures.add(failure);
    }

    /** Makes every call fail as a stopped proxy would (false), or answer again (true); routes are kept. */
    public void reachable(boolean answers) {
        reachable = answers;
    }

    /** The route of an application now. */
    public synchronized Optional<Route> route(String applicationId) {
        return Optional.ofNullable(routes.get(applicationId));
    }

    /** Every route applied so far, in order. */
    public synchronized List<Route> applied() {
        return List.copyOf(applied);
    }

    private final java.util.concurrent.atomic.AtomicInteger starts = new java.util.concurrent.atomic.AtomicInteger();

    /** How many times {@link #start} was called (answered or not). */
    public int starts() {
        return starts.get();
    }

    @Override
    public void start() {
        starts.incrementAndGet();
        answer();
    }

    @Override
    public void apply(Route route) {
        answer();
        applyHold.pass();
        synchronized (this) {
            RuntimeException failure = applyFailures.poll();
            if (failure != null) {
                throw failure;
            }
            routes.put(route.applicationId(), route);
            applied.add(route);
        }
    }

    @Override
    public synchronized void remove(String applicationId) {
        answer();
        routes.remove(applicationId);
    }

    @Override
    public synchronized void replaceAll(List<Route> all) {
        answer();
        routes.clear();
        all.forEach(route -> routes.put(route.applicationId(), route));
    }

    @Override
    public synchronized List<Route> routes() {
        answer();
        return List.copyOf(routes.values());
    }

    @Override
    public synchronized ProxyStatus status() {
        return new ProxyStatus(reachable, reachable ? "in memory" : "not answering", routes.size());
    }

    @Override
    public void close() {
        // nothing to release
    }

    private void answer() {
        if (!reachable) {
            throw new PloyerException(StandardErrorCode.PROXY_FAILURE, "the testing proxy does not answer");
        }
    }
}
