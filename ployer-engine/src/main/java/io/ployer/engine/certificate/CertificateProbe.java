package io.ployer.engine.certificate;

import io.ployer.api.application.CertificateCheck;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Reads the certificate the reverse proxy serves for a name: a TLS handshake with the proxy's HTTPS
 * listener, the name as SNI. Every certificate is accepted for the handshake (an internal CA is not
 * in the JDK's trust store, and an expired certificate must still be read to say so); the name and
 * the validity are then checked here.
 */
final class CertificateProbe {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private final Duration timeout;

    CertificateProbe(Duration timeout) {
        this.timeout = timeout;
    }

    /** What the proxy at {@code proxy} serves for {@code hostname} at {@code now}; a certificate expiring within {@code warning} is {@code expiring}. */
    CertificateCheck check(InetSocketAddress proxy, String hostname, Instant now, Duration warning) {
        X509Certificate served;
        try {
            served = served(proxy, hostname);
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            String why = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
            return new CertificateCheck("unreachable", "The TLS handshake for " + hostname + " with the proxy at "
                    + proxy.getHostString() + ":" + proxy.getPort() + " failed (" + why + "): no certificate is served for it.",
                    null, null, now);
        }
        return judge(served, hostname, now, warning);
    }

    /** The verdict on a served certificate. */
    static CertificateCheck judge(X509Certificate served, String hostname, Instant now, Duration warning) {
        Instant expiresAt = served.getNotAfter().toInstant();
        String issuer = served.getIssuerX500Principal().getName();
        List<String> names = names(served);
        if (!covers(names, hostname)) {
            return new CertificateCheck("hostname-mismatch", "The certificate served for " + hostname + " does not cover it (it names "
                    + (names.isEmpty() ? "no host" : String.join(", ", names)) + ").", expiresAt, issuer, now);
        }
        if (!expiresAt.isAfter(now)) {
            return new CertificateCheck("expired", "The certificate of " + hostname + " expired on " + WHEN.format(expiresAt) + ".",
                    expiresAt, issuer, now);
        }
        Duration left = Duration.between(now, expiresAt);
        if (left.compareTo(warning) < 0) {
            return new CertificateCheck("expiring", "The certificate of " + hostname + " expires on " + WHEN.format(expiresAt)
                    + " (in " + describe(left) + "), within the " + warning.toDays() + "-day warning threshold; the proxy has not renewed it yet.",
                    expiresAt, issuer, now);
        }
        return new CertificateCheck("ok", "A valid certificate is served for " + hostname + " until " + WHEN.format(expiresAt) + ".",
                expiresAt, issuer, now);
    }

    private X509Certificate served(InetSocketAddress proxy, String hostname) throws IOException, GeneralSecurityException {
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, new TrustManager[] {new AcceptAll()}, new SecureRandom());
        int millis = (int) timeout.toMillis();
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress(proxy.getHostString(), proxy.getPort()), millis);
            plain.setSoTimeout(millis);
            try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(plain, hostname, proxy.getPort(), true)) {
                SSLParameters parameters = socket.getSSLParameters();
                parameters.setServerNames(List.of(new SNIHostName(hostname)));
                socket.setSSLParameters(parameters);
                socket.startHandshake();
                Certificate[] chain = socket.getSession().getPeerCertificates();
                if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
                    throw new javax.net.ssl.SSLPeerUnverifiedException("no X.509 certificate was served");
                }
                return leaf;
            }
        }
    }

    /** The DNS names a certificate is for: its subject alternative names, or its common name when it has none. */
    static List<String> names(X509Certificate certificate) {
        List<String> names = new ArrayList<>();
        try {
            if (certificate.getSubjectAlternativeNames() != null) {
                for (List<?> entry : certificate.getSubjectAlternativeNames()) {
                    if (entry.size() >= 2 && Integer.valueOf(2).equals(entry.get(0)) && entry.get(1) instanceof String name) {
                        names.add(name.toLowerCase(Locale.ROOT));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            return names;
        }
        if (names.isEmpty()) {
            for (String part : certificate.getSubjectX500Principal().getName().split(",")) {
                if (part.strip().startsWith("CN=")) {
                    names.add(part.strip().substring(3).toLowerCase(Locale.ROOT));
                }
            }
        }
        return names;
    }

    /** Whether one of {@code names} covers {@code hostname}; a wildcard stands for exactly one leftmost label. */
    static boolean covers(List<String> names, String hostname) {
        String host = hostname.toLowerCase(Locale.ROOT);
        for (String name : names) {
            if (name.equals(host)) {
                return true;
            }
            if (name.startsWith("*.")) {
                int dot = host.indexOf('.');
                if (dot > 0 && host.substring(dot + 1).equals(name.substring(2))) {
                    return true;
                }
            }
        }
        return false;
    }

    static String describe(Duration left) {
        if (left.toDays() >= 2) {
            return left.toDays() + " days";
        }
        if (left.toHours() >= 1) {
            return left.toHours() + " h";
        }
        return Math.max(1, left.toMinutes()) + " min";
    }

    /** Accepts every chain: the probe reads the certificate and judges it itself. */
    private static final class AcceptAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            // never a client here
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            // read and judged by the probe
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
