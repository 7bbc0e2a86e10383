package io.ployer.plugin.notifiers.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ployer.spi.plugin.PluginConfig;
import io.ployer.spi.plugin.PluginContext;
import io.ployer.spi.notify.Notification;
import io.ployer.spi.notify.Notifier;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A generic JSON webhook. With a {@code secret}, every request carries
 * {@code X-Ployer-Signature-256: sha256=<hex HMAC-SHA256 of the raw body with the secret>}, which
 * the receiver recomputes to verify the sender (compare in constant time).
 */
public final class WebhookNotifier implements Notifier {
    /** The header with the body's signature. */
    public static final String SIGNATURE_HEADER = "X-Ployer-Signature-256";
    private final URI url;
    private final byte[] secret;
    private final HttpDelivery http;

    private WebhookNotifier(URI url, byte[] secret, HttpDelivery http) {
        this.url = url;
        this.secret = secret;
        this.http = http;
    }

    /** Reads {@code url} (secret), {@code secret} (optional, secret) and {@code timeout}. */
    public static Notifier of(PluginConfig config, PluginContext context) {
        String secret = config.string("secret", null);
        if (secret != null && secret.length() < 16) {
            config.problem("secret", "must be at least 16 characters");
        }
        return new WebhookNotifier(HttpDelivery.url(config, "url"), secret == null ? null : secret.getBytes(StandardCharsets.UTF_8),
                new HttpDelivery("the webhook", context, HttpDelivery.timeout(config)));
    }

    static ObjectNode payload(Notification notification) {
        ObjectNode root = HttpDelivery.JSON.objectNode();
        root.put("id", notification.id());
        root.put("event", notification.event().name().toLowerCase(Locale.ROOT));
        root.put("title", notification.title());
        root.put("text", notification.text());
        root.put("application", notification.applicationName());
        root.put("commit", notification.commit());
        if (notification.duration() == null) {
            root.putNull("duration_seconds");
        } else {
            root.put("duration_seconds", notification.duration().toSeconds());
        }
        root.put("reason", notification.reason());
        root.put("link", notification.link());
        root.put("at", notification.at().toString());
        return root;
    }

    /** The signature header value of {@code body} under {@code key}. */
    public static String signature(byte[] key, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    @Override
    public void send(Notification notification) {
        byte[] body = HttpDelivery.bytes(payload(notification));
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Ployer-Event", notification.event().name().toLowerCase(Locale.ROOT));
        headers.put("X-Ployer-Delivery", notification.id());
        if (secret != null) {
            headers.put(SIGNATURE_HEADER, signature(secret, body));
        }
        http.post(url, body, headers);
    }
}
