package io.ployer.plugin.docker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyManagementException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.Test;

/** The deferred context must behave as the JVM's default one once it is used: same factory, protocols and trust. */
class DeferredDefaultSslContextTest {
    @Test
    void servesTheDefaultContext() throws Exception {
        SSLContext deferred = new DeferredDefaultSslContext();
        SSLContext standard = SSLContext.getDefault();

        // The session context is the context's own: the same one means the same context (and trust store).
        assertThat(deferred.getClientSessionContext()).isSameAs(standard.getClientSessionContext());
        assertThat(deferred.getSocketFactory().getDefaultCipherSuites()).containsExactly(standard.getSocketFactory().getDefaultCipherSuites());
        assertThat(deferred.getDefaultSSLParameters().getProtocols()).containsExactly(standard.getDefaultSSLParameters().getProtocols());
        SSLEngine engine = deferred.createSSLEngine("docker.example.com", 2376);
        assertThat(engine.getPeerPort()).isEqualTo(2376);
        assertThat(engine.getPeerHost()).isEqualTo("docker.example.com");
    }

    @Test
    void cannotBeReinitialisedLikeTheDefault() {
        assertThatThrownBy(() -> new DeferredDefaultSslContext().init(null, null, null)).isInstanceOf(KeyManagementException.class);
    }
}
