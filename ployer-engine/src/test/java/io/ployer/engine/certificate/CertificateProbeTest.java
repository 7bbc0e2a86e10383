package io.ployer.engine.certificate;

import static org.assertj.core.api.Assertions.assertThat;

import io.ployer.api.application.CertificateCheck;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The probe against a real TLS listener on 127.0.0.1 serving a certificate made by the JDK's keytool
 * for {@code shop.test}, valid 5 days: fine, expiring within a longer threshold, not covering another
 * name; and a listener that serves no TLS.
 */
class CertificateProbeTest {
    private static final char[] PASSWORD = "changeit".toCharArray();
    private final CertificateProbe probe = new CertificateProbe(Duration.ofSeconds(5));
    private SSLServerSocket listener;
    private Thread acceptor;

    @TempDir
    static Path directory;
    private static Path keystore;

    @BeforeAll
    static void makeACertificateForShopTest() throws Exception {
        keystore = directory.resolve("shop.p12");
        Process keytool = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "shop", "-keyalg", "EC", "-dname", "CN=shop.test", "-ext", "SAN=dns:shop.test,dns:*.shop.test",
                "-validity", "5", "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", new String(PASSWORD)))
                .redirectErrorStream(true).start();
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as(new String(keytool.getInputStream().readAllBytes())).isZero();
    }

    @BeforeEach
    void serveIt() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(keystore.toFile())) {
            store.load(in, PASSWORD);
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, PASSWORD);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keys.getKeyManagers(), null, null);
        listener = (SSLServerSocket) tls.getServerSocketFactory().createServerSocket(0, 10, InetAddress.getLoopbackAddress());
        acceptor = new Thread(() -> {
            while (!listener.isClosed()) {
                try (SSLSocket socket = (SSLSocket) listener.accept()) {
                    socket.setSoTimeout(5_000);
                    socket.startHandshake();
                } catch (IOException e) {
                    // the probe closes after the handshake; a closed listener ends the loop
                }
            }
        });
        acceptor.start();
    }

    @AfterEach
    void stop() throws Exception {
        listener.close();
        acceptor.join(5_000);
    }

    private InetSocketAddress address() {
        return InetSocketAddress.createUnresolved("127.0.0.1", listener.getLocalPort());
    }

    @Test
    void aCertificateCoveringTheNameAndFarFromItsEndIsFine() {
        Instant now = Instant.now();
        CertificateCheck check = probe.check(address(), "shop.test", now, Duration.ofDays(1));
        assertThat(check.status()).as(check.detail()).isEqualTo("ok");
        assertThat(check.expiresAt()).isBetween(now.plus(Duration.ofDays(4)), now.plus(Duration.ofDays(6)));
        assertThat(check.issuer()).contains("CN=shop.test");
        assertThat(check.checkedAt()).isEqualTo(now);
        assertThat(probe.check(address(), "www.shop.test", now, Duration.ofDays(1)).status()).as("under its wildcard").isEqualTo("ok");
    }

    @Test
    void oneExpiringWithinTheThresholdIsExpiringAndOneLaterExpired() {
        Instant now = Instant.now();
        CertificateCheck check = probe.check(address(), "shop.test", now, Duration.ofDays(14));
        assertThat(check.status()).isEqualTo("expiring");
        assertThat(check.detail()).startsWith("The certificate of shop.test expires on ").contains("(in 4 days)",
                "within the 14-day warning threshold");
        assertThat(probe.check(address(), "shop.test", now.plus(Duration.ofDays(6)), Duration.ofDays(14)).status())
                .isEqualTo("expired");
    }

    @Test
    void aCertificateForAnotherNameDoesNotCoverIt() {
        CertificateCheck check = probe.check(address(), "blog.test", Instant.now(), Duration.ofDays(1));
        assertThat(check.status()).isEqualTo("hostname-mismatch");
        assertThat(check.detail()).contains("does not cover it", "shop.test, *.shop.test");
    }

    @Test
    void aListenerWithoutTlsServesNoCertificate() throws Exception {
        try (ServerSocket plain = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread closer = new Thread(() -> {
                try {
                    plain.accept().close();
                } catch (IOException e) {
                    // closed
                }
            });
            closer.start();
            CertificateCheck check = probe.check(InetSocketAddress.createUnresolved("127.0.0.1", plain.getLocalPort()), "shop.test",
                    Instant.now(), Duration.ofDays(1));
            assertThat(check.status()).isEqualTo("unreachable");
            assertThat(check.expiresAt()).isNull();
            assertThat(check.detail()).contains("TLS handshake for shop.test", "failed");
            closer.join(5_000);
        }
    }
}
