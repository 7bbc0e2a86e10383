package io.ployer.plugin.notifiers.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ployer.spi.plugin.PluginConfig;
import io.ployer.spi.plugin.PluginContext;
import io.ployer.spi.notify.Notification;
import io.ployer.spi.notify.Notifier;
import java.net.URI;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Telegram Bot API {@code sendMessage}: {@code chat_id} and {@code text} (plain text, so nothing
 * needs escaping), link previews off. The token is part of the URL and is never shown.
 */
public final class TelegramNotifier implements Notifier {
    private static final Pattern TOKEN = Pattern.compile("[0-9]+:[A-Za-z0-9_-]+");
    private final URI endpoint;
    private final String chatId;
    private final HttpDelivery http;

    private TelegramNotifier(URI endpoint, String chatId, HttpDelivery http) {
        this.endpoint = endpoint;
        this.chatId = chatId;
        this.http = http;
    }

    /** Reads {@code token} (secret), {@code chat-id}, {@code base-url} (default https://api.telegram.org), {@code timeout}. */
    public static Notifier of(PluginConfig config, PluginContext context) {
        String token = config.requiredString("token");
        if (token != null && !TOKEN.matcher(token).matches()) {
            config.problem("token", "must look like a bot token (digits, a colon, then letters, digits, - or _)");
            token = null; // never part of a URL (nor of the URL's error message)
        }
        String chatId = config.requiredString("chat-id");
        if (chatId != null && !chatId.matches("-?[0-9]+|@[A-Za-z0-9_]{4,64}")) {
            config.problem("chat-id", "must be a numeric chat id or an @channel name");
        }
        String base = config.string("base-url", "https://api.telegram.org");
        URI endpoint = null;
        if (!base.matches("https?://[^\\s/?#]+(/[^\\s?#]*)?")) {
            config.problem("base-url", "must be an http:// or https:// URL");
        } else if (token != null) {
            endpoint = URI.create(base.replaceAll("/+$", "") + "/bot" + token + "/sendMessage");
        }
        return new TelegramNotifier(endpoint, chatId, new HttpDelivery("Telegram", context, HttpDelivery.timeout(config)));
    }

    static ObjectNode payload(String chatId, Notification notification) {
        ObjectNode root = HttpDelivery.JSON.objectNode();
        root.put("chat_id", chatId);
        root.put("text", HttpDelivery.cut(notification.title() + "\n\n" + notification.text(), 4096));
        root.put("disable_web_page_preview", true);
        return root;
    }

    @Override
    public void send(Notification notification) {
        http.post(endpoint, HttpDelivery.bytes(payload(chatId, notification)), Map.of());
    }
}
