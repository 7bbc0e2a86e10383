package io.ployer.engine.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.spi.proxy.Route;
import io.ployer.spi.proxy.TlsMode;
import io.ployer.api.container.Endpoint;
import io.ployer.testkit.TestingClock;
import io.ployer.testkit.proxy.TestingReverseProxy;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A proxy whose start fails is started again with backoff, and its routes flow once it starts. */
class StartRetryingProxyTest {
    private final TestingClock clock = TestingClock.start();
    private final TestingReverseProxy down = new TestingReverseProxy();
    private final StartRetryingProxy proxy = new StartRetryingProxy(down, "testing", clock, text -> text);

    @Test
    void aFailedStartIsRetriedWithDoublingBackoffUntilItSucceeds() {
        down.reachable(false);
        proxy.start();
        assertThat(down.starts()).isEqualTo(1);
        assertThat(proxy.status().reachable()).isFalse();
        assertThat(proxy.status().detail()).contains("not started");
        assertThat(down.starts()).as("no attempt before the backoff passed").isEqualTo(1);

        clock.advance(Duration.ofSeconds(1));
        assertThat(proxy.status().reachable()).isFalse();
        assertThat(down.starts()).isEqualTo(2);
        clock.advance(Duration.ofSeconds(1));
        proxy.status();
        assertThat(down.starts()).as("the second wait is 2 s").isEqualTo(2);
        clock.advance(Duration.ofSeconds(1));
        proxy.status();
        assertThat(down.starts()).isEqualTo(3);

        assertThatThrownBy(() -> proxy.apply(route())).isInstanceOfSatisfying(PloyerException.class,
                e -> assertThat(e.code()).isEqualTo(StandardErrorCode.PROXY_FAILURE));

        down.reachable(true);
        clock.advance(Duration.ofSeconds(4));
        assertThat(proxy.status().reachable()).isTrue();
        assertThat(down.starts()).isEqualTo(4);
        proxy.apply(route());
        assertThat(down.route("app")).isPresent();
        proxy.status();
        assertThat(down.starts()).as("started once, not again").isEqualTo(4);
    }

    @Test
    void theBackoffStopsGrowingAtOneMinute() {
        down.reachable(false);
        proxy.start();
        for (int i = 0; i < 12; i++) {
            clock.advance(StartRetryingProxy.MAX_BACKOFF);
            proxy.status();
        }
        int attempts = down.starts();
        clock.advance(StartRetryingProxy.MAX_BACKOFF);
        proxy.status();
        assertThat(down.starts()).isEqualTo(attempts + 1);
    }

    private static Route route() {
        return new Route("app", List.of("app.test"), List.of(new Endpoint("127.0.0.1", 8080)), TlsMode.AUTO);
    }
}
