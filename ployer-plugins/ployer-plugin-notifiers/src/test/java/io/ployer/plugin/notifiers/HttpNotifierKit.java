package io.ployer.plugin.notifiers;

import static org.assertj.core.api.Assertions.assertThat;

import io.ployer.spi.notify.Notification;
import io.ployer.testkit.notify.HttpReceiver;
import io.ployer.testkit.notify.NotifierCompatibilityKit;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The kit for the webhook-style notifiers, each with a receiver of its own on 127.0.0.1. */
abstract class HttpNotifierKit extends NotifierCompatibilityKit {
    protected HttpReceiver receiver;

    @BeforeEach
    void startReceiver() {
        receiver = HttpReceiver.start();
    }

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    @Override
    protected Map<String, String> unreachable(Map<String, String> config, int closedPort) {
        Map<String, String> changed = new HashMap<>();
        config.forEach((key, value) -> changed.put(key, value.replace(receiver.baseUrl(), "http://127.0.0.1:" + closedPort)));
        return changed;
    }

    /** The request the notifier made, which must be a JSON POST. */
    protected HttpReceiver.Request delivered() {
        HttpReceiver.Request request = receiver.take(Duration.ofSeconds(5));
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.header("Content-Type")).startsWith("application/json");
        return request;
    }

    @Test
    void aRefusalIsAFailureThatSaysTheStatusButNotTheUrl() {
        receiver.failNext(1, 404);
        Notification sent = sampleNotification();
        try {
            factory().create(configFor(), context()).send(sent);
            throw new AssertionError("a 404 must fail the delivery");
        } catch (io.ployer.api.PloyerException e) {
            assertThat(e.getMessage()).contains("HTTP 404");
            for (String key : factory().secretConfigKeys()) {
                assertThat(e.getMessage()).doesNotContain(configFor().get(key));
            }
        }
    }

    @Test
    void noSecretOfTheChannelReachesThePayload() {
        factory().create(configFor(), context()).send(sampleNotification());
        String body = delivered().text();
        for (String key : factory().secretConfigKeys()) {
            String secret = configFor().get(key);
            if (secret != null) {
                assertThat(body).doesNotContain(secret);
            }
        }
    }
}
