package io.ployer.testkit.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.api.notification.NotificationEvent;
import io.ployer.spi.plugin.PluginContext;
import io.ployer.spi.plugin.PluginFactory;
import io.ployer.spi.notify.Notification;
import io.ployer.spi.notify.NotifierFactory;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What every notifier promises, tested against a real receiver the subclass runs on 127.0.0.1:
 * a valid name, secret keys among its keys, unknown keys refused, no I/O in {@code create}, a
 * notification delivered as its service documents (checked by {@link #assertDelivered}), and a
 * clean NOTIFICATION_FAILURE, without any secret in its message, when the service cannot be reached
 * or refuses. Extend it next to the notifier, as Micrometer's backends extend their kit.
 */
public abstract class NotifierCompatibilityKit {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    /** The factory under test. */
    protected abstract NotifierFactory factory();

    /** A configuration that delivers to the receiver this test runs. */
    protected abstract Map<String, String> configFor();

    /** Asserts the receiver got {@code sent}, formatted as the service documents it. */
    protected abstract void assertDelivered(Notification sent);

    /** Replaces the receiver's address in {@code config} with one where nothing listens. */
    protected abstract Map<String, String> unreachable(Map<String, String> config, int closedPort);

    /** The context a notifier gets; the default has a clock and an HTTP client. */
    protected PluginContext context() {
        return new PluginContext() {
            @Override
            public Clock clock() {
                return Clock.systemUTC();
            }

            @Override
            public HttpClient httpClient() {
                return HTTP;
            }
        };
    }

    /** A failed deployment notification with every field set. */
    protected static Notification sampleNotification() {
        return new Notification(UUID.randomUUID().toString(), NotificationEvent.DEPLOYMENT_FAILED,
                "Deployment of shop failed", "Deployment of shop failed.\nApp: shop\nCommit: 0123456789ab Fix <checkout> & cart"
                + "\nTook: 1m 5s\nReason: the build failed\nDashboard: https://ployer.example.com/applications/a1",
                "shop", "0123456789ab", Duration.ofSeconds(65), "the build failed",
                "https://ployer.example.com/applications/a1", Instant.parse("2026-01-02T03:04:05Z"));
    }

    @Test
    void hasAValidNameAndDeclaresItsSecretKeysAmongItsKeys() {
        assertThat(factory().name()).matches(PluginFactory.NAME);
        assertThat(factory().configKeys()).containsAll(factory().secretConfigKeys());
        assertThat(factory().secretConfigKeys()).as("a notifier has a secret (a URL, a token or a password)").isNotEmpty();
    }

    @Test
    void refusesAnUnknownKeyByName() {
        Map<String, String> config = new HashMap<>(configFor());
        config.put("colour", "blue");
        assertThatThrownBy(() -> factory().create(config, context())).isInstanceOfSatisfying(PloyerException.class, error -> {
            assertThat(error.code()).isEqualTo(StandardErrorCode.CONFIGURATION);
            assertThat(error.getMessage()).contains("colour: unknown key");
        });
    }

    @Test
    void refusesAnEmptyConfigurationWithAConfigurationError() {
        assertThatThrownBy(() -> factory().create(Map.of(), context())).isInstanceOfSatisfying(PloyerException.class,
                error -> assertThat(error.code()).isEqualTo(StandardErrorCode.CONFIGURATION));
    }

    @Test
    void createDoesNoIoEvenWhenNothingListens() {
        Map<String, String> config = unreachable(configFor(), closedPort());
        assertThatCode(() -> factory().create(config, context())).doesNotThrowAnyException();
    }

    @Test
    void deliversANotificationAsTheServiceDocumentsIt() {
        Notification sent = sampleNotification();
        factory().create(configFor(), context()).send(sent);
        assertDelivered(sent);
    }

    @Test
    void failsCleanlyWithoutRevealingASecretWhenTheServiceCannotBeReached() {
        Map<String, String> config = unreachable(configFor(), closedPort());
        assertThatThrownBy(() -> factory().create(config, context()).send(sampleNotification()))
                .isInstanceOfSatisfying(PloyerException.class, error -> {
                    assertThat(error.code()).isEqualTo(StandardErrorCode.NOTIFICATION_FAILURE);
                    for (String key : factory().secretConfigKeys()) {
                        String secret = config.get(key);
                        if (secret != null) {
                            assertThat(error.getMessage()).doesNotContain(secret);
                        }
                    }
                });
    }

    /** A port on 127.0.0.1 where nothing listens (it was free a moment ago). */
    protected static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
