package io.ployer.plugin.notifiers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ployer.spi.notify.Notification;
import io.ployer.spi.notify.NotifierFactory;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class WebhookNotifierTest extends HttpNotifierKit {
    private static final String SECRET = "a-shared-secret-of-the-receiver";

    @Override
    protected NotifierFactory factory() {
        return Factories.named("webhook");
    }

    @Override
    protected Map<String, String> configFor() {
        return Map.of("url", receiver.url("/hooks/ployer"), "secret", SECRET);
    }

    /** The documented JSON, signed: the receiver recomputes the HMAC-SHA256 of the raw body and compares. */
    @Override
    protected void assertDelivered(Notification sent) {
        var request = delivered();
        assertThat(request.path()).isEqualTo("/hooks/ployer");
        assertThat(verify(request.body(), request.header("X-Ployer-Signature-256"))).isTrue();
        assertThat(request.header("X-Ployer-Event")).isEqualTo("deployment_failed");
        assertThat(request.header("X-Ployer-Delivery")).isEqualTo(sent.id());
        JsonNode body = Factories.json(request.text());
        assertThat(body.get("id").asText()).isEqualTo(sent.id());
        assertThat(body.get("event").asText()).isEqualTo("deployment_failed");
        assertThat(body.get("title").asText()).isEqualTo(sent.title());
        assertThat(body.get("text").asText()).isEqualTo(sent.text());
        assertThat(body.get("application").asText()).isEqualTo("shop");
        assertThat(body.get("commit").asText()).isEqualTo("0123456789ab");
        assertThat(body.get("duration_seconds").asLong()).isEqualTo(65);
        assertThat(body.get("reason").asText()).isEqualTo("the build failed");
        assertThat(body.get("link").asText()).isEqualTo(sent.link());
        assertThat(body.get("at").asText()).isEqualTo("2026-01-02T03:04:05Z");
    }

    @Test
    void aTamperedBodyNoLongerMatchesItsSignature() {
        factory().create(configFor(), context()).send(sampleNotification());
        var request = delivered();
        byte[] tampered = request.text().replace("shop", "shoq").getBytes(StandardCharsets.UTF_8);
        assertThat(verify(tampered, request.header("X-Ployer-Signature-256"))).isFalse();
    }

    @Test
    void withoutASecretTheRequestIsNotSigned() {
        factory().create(Map.of("url", receiver.url("/plain")), context()).send(sampleNotification());
        assertThat(delivered().header("X-Ployer-Signature-256")).isNull();
    }

    /** What a receiver does, written here independently of the notifier's own code. */
    private static boolean verify(byte[] body, String header) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] expected = ("sha256=" + HexFormat.of().formatHex(mac.doFinal(body))).getBytes(StandardCharsets.UTF_8);
            return header != null && MessageDigest.isEqual(expected, header.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }
}
