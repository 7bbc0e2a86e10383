package io.ployer.engine.application;

import io.ployer.api.PloyerException;
import io.ployer.api.application.Application;
import io.ployer.api.application.Domain;
import io.ployer.spi.storage.Storage;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/** The domains of {@link DefaultApplicationService}: one primary per application, each hostname used once. */
final class ApplicationDomains {
    private final Storage storage;
    private final Clock clock;
    private final boolean allowWildcardDomains;
    /** The application with an id, or NOT_FOUND. */
    private final Function<String, Application> applications;

    ApplicationDomains(Storage storage, Clock clock, boolean allowWildcardDomains, Function<String, Application> applications) {
        this.storage = storage;
        this.clock = clock;
        this.allowWildcardDomains = allowWildcardDomains;
        this.applications = applications;
    }

    private volatile java.util.function.Function<String, Optional<io.ployer.spi.proxy.TlsMode>> tls = host -> Optional.empty();
    /** Told the application's id after its domains changed (the engine reconciles the proxy's routes then). */
    private volatile java.util.function.Consumer<String> changed = applicationId -> { };

    void onChange(java.util.function.Consumer<String> listener) {
        changed = java.util.Objects.requireNonNull(listener, "listener");
    }
    private volatile boolean proxied;
    private volatile Function<String, Optional<io.ployer.api.application.CertificateCheck>> checks = host -> Optional.empty();

    void setTls(boolean proxied, java.util.function.Function<String, Optional<io.ployer.spi.proxy.TlsMode>> tls,
                Function<String, Optional<io.ployer.api.application.CertificateCheck>> checks) {
        this.proxied = proxied;
        this.tls = tls;
        this.checks = checks;
    }

    /** Each domain's TLS state with the last certificate check of a name served over HTTPS. */
    List<io.ployer.api.application.DomainTls> tls(String applicationId) {
        return list(applicationId).stream().map(domain -> DomainTlsState.of(domain, proxied, tls)).map(state ->
                state.state().endsWith("-certificate") ? state.withCertificate(checks.apply(state.hostname()).orElse(null)) : state)
                .toList();
    }

    private void get(String applicationId) {
        applications.apply(applicationId);
    }

    List<Domain> list(String applicationId) {
        get(applicationId);
        return storage.domains().listByApplication(applicationId).stream()
                .sorted(Comparator.comparing(Domain::primary).reversed().thenComparing(Domain::hostname))
                .toList();
    }

    Domain add(String applicationId, String hostname, String service, Integer port) {
        String normalised = ApplicationRules.hostname(hostname, allowWildcardDomains);
        if (service != null && !ApplicationRules.SERVICE_NAME.matcher(service).matches()) {
            throw PloyerException.invalid("service", "must be a Compose service name (letters, digits, '_', '.' and '-', "
                    + "starting with a letter or digit, at most 63 characters)");
        }
        if (port != null) {
            ApplicationRules.port(port);
        }
        io.ployer.api.application.Application application = applications.apply(applicationId);
        if (service != null && !"compose".equals(application.buildStrategy())) {
            throw PloyerException.invalid("service", "is only for Compose applications (build_strategy compose)");
        }
        Domain added = storage.inTransaction(tx -> {
            Optional<Domain> existing = tx.domains().findByHostname(normalised);
            if (existing.isPresent()) {
                String owner = existing.get().applicationId().equals(applicationId) ? "this application" : "another application";
                throw PloyerException.conflict("hostname", normalised + " is already used by " + owner);
            }
            boolean first = tx.domains().listByApplication(applicationId).isEmpty();
            Domain domain = new Domain(UUID.randomUUID().toString(), applicationId, normalised, first, false, false,
                    clock.instant(), service, port);
            tx.domains().insert(domain);
            return domain;
        });
        changed.accept(applicationId);
        return added;
    }

    void remove(String applicationId, String hostname) {
        String normalised = ApplicationRules.hostname(hostname, true);
        get(applicationId);
        storage.inTransaction(tx -> {
            Domain domain = tx.domains().findByHostname(normalised)
                    .filter(found -> found.applicationId().equals(applicationId))
                    .orElseThrow(() -> PloyerException.notFound("domain", normalised));
            tx.domains().delete(applicationId, normalised);
            if (domain.primary()) {
                tx.domains().listByApplication(applicationId).stream().findFirst()
                        .ifPresent(next -> tx.domains().update(next.withPrimary(true)));
            }
            return null;
        });
        changed.accept(applicationId);
    }

    Domain verify(String applicationId, String hostname) {
        String normalised = ApplicationRules.hostname(hostname, true);
        get(applicationId);
        Domain domain = storage.domains().findByHostname(normalised).filter(found -> found.applicationId().equals(applicationId))
                .orElseThrow(() -> PloyerException.notFound("domain", normalised));
        boolean verified = DomainResolution.pointsHere(normalised);
        Domain updated = domain.withVerified(verified);
        storage.inTransaction(tx -> {
            tx.domains().update(updated);
            return null;
        });
        return updated;
    }

    Domain setPrimary(String applicationId, String hostname) {
        String normalised = ApplicationRules.hostname(hostname, true);
        get(applicationId);
        return storage.inTransaction(tx -> {
            List<Domain> domains = tx.domains().listByApplication(applicationId);
            Domain chosen = domains.stream().filter(domain -> domain.hostname().equals(normalised)).findFirst()
                    .orElseThrow(() -> PloyerException.notFound("domain", normalised));
            for (Domain domain : domains) {
                if (domain.primary() && !domain.id().equals(chosen.id())) {
                    tx.domains().update(domain.withPrimary(false));
                }
            }
            Domain primary = chosen.withPrimary(true);
            tx.domains().update(primary);
            return primary;
        });
    }
}
