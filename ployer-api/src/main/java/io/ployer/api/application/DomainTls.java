package io.ployer.api.application;

import java.util.Objects;

/**
 * How one of an application's domains is served over TLS, as the reverse proxy says.
 *
 * @param hostname the domain
 * @param state    {@code public-certificate} (a public CA's certificate, obtained by the proxy),
 *                 {@code awaiting-dns} (a public name whose DNS has not been verified to point here
 *                 yet: no certificate can be issued before), {@code internal-certificate} (the
 *                 proxy's own CA, for names a public CA cannot certify), {@code http-only} (no TLS:
 *                 the proxy serves plain HTTP, e.g. TLS ends in front of it), {@code no-proxy} (no
 *                 reverse proxy configured) or {@code unknown} (the proxy does not say)
 * @param detail      a sentence for a person
 * @param certificate what the engine's last certificate check found for this name, or {@code null}
 *                    when it was not checked (no TLS, checks off, or not yet)
 */
public record DomainTls(String hostname, String state, String detail, CertificateCheck certificate) {
    public DomainTls {
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(detail, "detail");
    }

    /** A state without a certificate check. */
    public DomainTls(String hostname, String state, String detail) {
        this(hostname, state, detail, null);
    }

    /** The same state with what the certificate check found. */
    public DomainTls withCertificate(CertificateCheck check) {
        return new DomainTls(hostname, state, detail, check);
    }
}
