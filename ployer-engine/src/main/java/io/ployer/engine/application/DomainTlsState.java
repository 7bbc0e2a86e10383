package io.ployer.engine.application;

import io.ployer.api.application.Domain;
import io.ployer.api.application.DomainTls;
import io.ployer.spi.proxy.TlsMode;
import java.util.Optional;
import java.util.function.Function;

/** A domain's TLS state from what the reverse proxy says and whether the domain's DNS was verified. */
final class DomainTlsState {
    private DomainTlsState() {
    }

    static DomainTls of(Domain domain, boolean proxied, Function<String, Optional<TlsMode>> tls) {
        String host = domain.hostname();
        if (!proxied) {
            return new DomainTls(host, "no-proxy", "No reverse proxy is configured: nothing serves this name yet.");
        }
        Optional<TlsMode> mode = tls.apply(host.startsWith("*.") ? host.substring(2) : host);
        if (mode.isEmpty()) {
            return new DomainTls(host, "unknown", "The reverse proxy does not say how it serves this name.");
        }
        return switch (mode.get()) {
            case NONE -> new DomainTls(host, "http-only", "Served over plain HTTP: the proxy has TLS off (TLS ends in front of it, or tests).");
            case INTERNAL -> new DomainTls(host, "internal-certificate",
                    "Served over HTTPS with a certificate of the proxy's own CA: a public CA cannot certify this name.");
            case AUTO -> domain.verified()
                    ? new DomainTls(host, "public-certificate", "Served over HTTPS with a certificate the proxy obtains from a public CA.")
                    : new DomainTls(host, "awaiting-dns", "Its DNS does not point at this server yet (verify it): no public certificate "
                    + "can be issued before it does.");
        };
    }
}
