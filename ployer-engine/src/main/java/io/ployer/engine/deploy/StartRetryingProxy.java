package io.ployer.engine.deploy;

import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.spi.proxy.ProxyCapability;
import io.ployer.spi.proxy.ProxyStatus;
import io.ployer.spi.proxy.ReverseProxy;
import io.ployer.spi.proxy.Route;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chosen reverse proxy, started again until its {@link ReverseProxy#start()} succeeds: a failed start
 * (the proxy is not up yet when the engine starts) is retried with exponential backoff (1 s, doubling, at
 * most 1 min, on the engine's clock) by the next call after the wait, which the reconciler makes every
 * second while the proxy does not answer. Until it has started, {@link #status()} says why and every change
 * fails with PROXY_FAILURE, as an unreachable proxy's would, so the reconciler pushes the routes once it is up.
 */
public final class StartRetryingProxy implements ReverseProxy {
    private static final Logger LOG = LoggerFactory.getLogger(StartRetryingProxy.class);
    static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    static final Duration MAX_BACKOFF = Duration.ofMinutes(1);

    private final ReverseProxy delegate;
    private final String name;
    private final Clock clock;
    private final UnaryOperator<String> redactor;
    private boolean started;
    private Duration backoff = FIRST_BACKOFF;
    private Instant nextAttempt = Instant.MIN;
    private String lastFailure = "not started yet";

    public StartRetryingProxy(ReverseProxy delegate, String name, Clock clock, UnaryOperator<String> redactor) {
        this.delegate = delegate;
        this.name = name;
        this.clock = clock;
        this.redactor = redactor;
    }

    /** Starts the proxy now; a failure is logged and retried later (never thrown). */
    @Override
    public void start() {
        synchronized (this) {
            nextAttempt = Instant.MIN;
        }
        ensureStarted();
    }

    /** Whether the proxy has started; tries once more when the backoff has passed. */
    public boolean ensureStarted() {
        synchronized (this) {
            if (started) {
                return true;
            }
            Instant now = clock.instant();
            if (now.isBefore(nextAttempt)) {
                return false;
            }
            try {
                delegate.start();
                started = true;
                if (backoff.compareTo(FIRST_BACKOFF) > 0) {
                    LOG.info("the reverse proxy '{}' started", name);
                }
                return true;
            } catch (RuntimeException e) {
                lastFailure = redactor.apply(String.valueOf(e.getMessage()));
                nextAttempt = now.plus(backoff);
                LOG.warn("the reverse proxy '{}' could not start ({}); trying again in {} s, routes are pushed once it starts",
                        name, lastFailure, backoff.toSeconds());
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
                return false;
            }
        }
    }

    private void requireStarted() {
        if (!ensureStarted()) {
            throw new PloyerException(StandardErrorCode.PROXY_FAILURE, "the reverse proxy '" + name + "' has not started: " + failure());
        }
    }

    private synchronized String failure() {
        return lastFailure;
    }

    @Override
    public Set<ProxyCapability> capabilities() {
        return delegate.capabilities();
    }

    @Override
    public java.util.Optional<io.ployer.spi.proxy.TlsMode> tlsFor(String hostname) {
        return delegate.tlsFor(hostname);
    }

    @Override
    public java.util.Optional<java.net.InetSocketAddress> httpsAddress() {
        return delegate.httpsAddress();
    }

    @Override
    public void apply(Route route) {
        requireStarted();
        delegate.apply(route);
    }

    @Override
    public void remove(String applicationId) {
        requireStarted();
        delegate.remove(applicationId);
    }

    @Override
    public void replaceAll(List<Route> routes) {
        requireStarted();
        delegate.replaceAll(routes);
    }

    @Override
    public List<Route> routes() {
        requireStarted();
        return delegate.routes();
    }

    @Override
    public ProxyStatus status() {
        if (!ensureStarted()) {
            return new ProxyStatus(false, "not started: " + failure(), 0);
        }
        return delegate.status();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
