package io.ployer.plugin.docker.internal;

import java.security.KeyManagementException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * The JVM's default {@link SSLContext}, initialised only when a TLS connection is first made.
 *
 * <p>docker-java's httpclient5 transport builds its TLS strategy when the client is built, and
 * without an {@code SSLConfig} it takes {@link SSLContext#getDefault()}, which initialises JSSE and
 * parses the trust store (about 400 classes and 1.5 MB of heap) although the usual Docker host, a
 * unix socket, never speaks TLS. Handing it this context instead keeps that work for the first
 * TLS handshake, which then uses exactly the default context: same trust store, same protocols.
 */
final class DeferredDefaultSslContext extends SSLContext {
    DeferredDefaultSslContext() {
        // No provider is named: which one serves the default context is known only once it is made.
        super(new Spi(), null, "Default");
    }

    /** Delegates every operation to the default context, looked up (and so made) on first use. */
    private static final class Spi extends SSLContextSpi {
        private static SSLContext target() {
            try {
                return SSLContext.getDefault(); // the JDK makes it once and caches it
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("the JVM has no default TLS context: " + e.getMessage(), e);
            }
        }

        @Override
        protected void engineInit(KeyManager[] keyManagers, TrustManager[] trustManagers, SecureRandom random)
                throws KeyManagementException {
            // As for the JDK's own default context: it is initialised by the JVM, never by a caller.
            throw new KeyManagementException("the default TLS context cannot be re-initialised");
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            return target().getSocketFactory();
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            return target().getServerSocketFactory();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            return target().createSSLEngine();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            return target().createSSLEngine(host, port);
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            return target().getServerSessionContext();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            return target().getClientSessionContext();
        }

        @Override
        protected SSLParameters engineGetDefaultSSLParameters() {
            return target().getDefaultSSLParameters();
        }

        @Override
        protected SSLParameters engineGetSupportedSSLParameters() {
            return target().getSupportedSSLParameters();
        }
    }
}
