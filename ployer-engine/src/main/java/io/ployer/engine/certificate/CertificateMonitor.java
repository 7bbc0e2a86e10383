package io.ployer.engine.certificate;

import io.ployer.api.application.Application;
import io.ployer.api.application.ApplicationStatus;
import io.ployer.api.application.CertificateCheck;
import io.ployer.api.application.Domain;
import io.ployer.api.event.PloyerEvent;
import io.ployer.spi.proxy.ReverseProxy;
import io.ployer.spi.proxy.Route;
import io.ployer.spi.proxy.TlsMode;
import io.ployer.spi.storage.Storage;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks, every {@code certificates.check-interval}, the certificate the local reverse proxy serves
 * for each domain of each running application whose route uses TLS: a handshake with the proxy's
 * HTTPS listener with the domain as SNI. A problem (no certificate served, one that does not cover
 * the name, an expired one, or one expiring within {@code certificates.expiry-warning-days}) is
 * published once as {@link PloyerEvent.CertificateProblem}, its end as
 * {@link PloyerEvent.CertificateRecovered}. Skipped: wildcard domains and IP addresses (no SNI can name them) and
 * public names whose DNS was not verified yet (no public certificate can be issued before).
 */
public final class CertificateMonitor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CertificateMonitor.class);

    /** How often and against what threshold; {@code interval} zero turns the checks off. */
    public record Settings(Duration interval, int expiryWarningDays) {
        Duration warning() {
            return Duration.ofDays(expiryWarningDays);
        }
    }

    private final Storage storage;
    private final ReverseProxy proxy;
    private final Clock clock;
    private final Consumer<PloyerEvent> events;
    private final Settings settings;
    private final ScheduledExecutorService scheduler;
    private final CertificateProbe probe = new CertificateProbe(Duration.ofSeconds(5));
    private final CertificateFindings findings = new CertificateFindings(2);
    /** Hostname → the last check, for the domains' TLS view. */
    private final Map<String, CertificateCheck> latest = new ConcurrentHashMap<>();

    public CertificateMonitor(Storage storage, ReverseProxy proxy, Clock clock, Consumer<PloyerEvent> events, Settings settings,
                              ThreadFactory threadFactory) {
        this.storage = storage;
        this.proxy = proxy;
        this.clock = clock;
        this.events = events;
        this.settings = settings;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(threadFactory);
    }

    /** Whether checks run: an interval, and a proxy that manages TLS and says where its HTTPS listener is. */
    public static boolean wanted(Settings settings, ReverseProxy proxy) {
        return !settings.interval().isZero() && proxy.capabilities().contains(io.ployer.spi.proxy.ProxyCapability.MANAGES_TLS)
                && proxy.httpsAddress().isPresent();
    }

    /** Starts the checks: the first after one interval (at most a minute), so the proxy has its routes. */
    public void start() {
        long every = settings.interval().toMillis();
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                checkAll();
            } catch (RuntimeException e) {
                LOG.warn("certificate checks failed: {}", e.toString());
            }
        }, Math.min(every, Duration.ofMinutes(1).toMillis()), every, TimeUnit.MILLISECONDS);
    }

    /** The last check of a domain, if it was checked (for the TLS view of the domains). */
    public Optional<CertificateCheck> lastCheck(String hostname) {
        return Optional.ofNullable(latest.get(hostname));
    }

    /** The setting the problems told are kept in, so a restart does not tell them again. */
    static final String TOLD_SETTING = "certificates.told";
    private boolean restored;

    /** One round over every checked domain. */
    void checkAll() {
        if (!restored) {
            findings.restore(storage.settings().get(TOLD_SETTING).orElse(""));
            restored = true;
        }
        String before = findings.saved();
        Optional<InetSocketAddress> address = proxy.httpsAddress();
        List<Route> routes;
        try {
            routes = address.isPresent() ? proxy.routes() : List.of();
        } catch (RuntimeException e) {
            LOG.debug("certificate checks skipped: the proxy does not answer ({})", e.getMessage());
            return; // the reconciler deals with a proxy that is down; its certificates are not the problem
        }
        Set<CertificateFindings.Key> checked = new HashSet<>();
        for (Route route : routes) {
            if (route.tls() == TlsMode.NONE || !running(route.applicationId())) {
                continue;
            }
            for (String host : route.hosts()) {
                if (!checkable(host)) {
                    continue;
                }
                CertificateFindings.Key key = new CertificateFindings.Key(route.applicationId(), host);
                checked.add(key);
                CertificateCheck check = probe.check(address.get(), host, clock.instant(), settings.warning());
                latest.put(host, check);
                findings.observe(key, check).ifPresent(event -> {
                    LOG.info("certificate of {}: {}", host, check.detail());
                    events.accept(event);
                });
            }
        }
        // Forgotten: domains gone or of an app no longer running (a route missing for a moment forgets nothing).
        findings.retain(key -> checked.contains(key) || running(key.applicationId()) && storage.domains()
                .findByHostname(key.hostname()).filter(domain -> domain.applicationId().equals(key.applicationId())).isPresent());
        String after = findings.saved();
        if (!after.equals(before)) {
            storage.inTransaction(tx -> {
                tx.settings().put(TOLD_SETTING, after);
                return null;
            });
        }
        Set<String> hosts = new HashSet<>();
        checked.forEach(key -> hosts.add(key.hostname()));
        latest.keySet().retainAll(hosts);
    }

    private boolean running(String applicationId) {
        return storage.applications().findById(applicationId).map(Application::status)
                .filter(status -> status == ApplicationStatus.RUNNING).isPresent();
    }

    /** Not a wildcard, served with TLS, and (for a public certificate) its DNS verified. */
    private boolean checkable(String host) {
        if (host.startsWith("*.") || host.contains(":") || host.matches("[0-9.]+")) {
            return false; // SNI names neither a wildcard nor an IP address
        }
        Optional<TlsMode> mode = proxy.tlsFor(host);
        if (mode.isPresent() && mode.get() == TlsMode.NONE) {
            return false;
        }
        if (mode.isPresent() && mode.get() == TlsMode.AUTO) {
            return storage.domains().findByHostname(host).map(Domain::verified).orElse(false);
        }
        return true;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
