package io.ployer.plugin.notifiers.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ployer.spi.plugin.PluginConfig;
import io.ployer.spi.plugin.PluginContext;
import io.ployer.spi.notify.Notification;
import io.ployer.spi.notify.Notifier;
import java.net.URI;
import java.util.Map;

/**
 * Discord webhook: {@code content} with the title, one embed with the body (red for problems,
 * green otherwise), fields for app, commit and duration, and no mentions parsed.
 */
public final class DiscordNotifier implements Notifier {
    static final int RED = 0xD13438;
    static final int GREEN = 0x2EB886;
    private final URI url;
    private final HttpDelivery http;

    private DiscordNotifier(URI url, HttpDelivery http) {
        this.url = url;
        this.http = http;
    }

    /** Reads {@code url} (secret) and {@code timeout}. */
    public static Notifier of(PluginConfig config, PluginContext context) {
        return new DiscordNotifier(HttpDelivery.url(config, "url"), new HttpDelivery("Discord", context, HttpDelivery.timeout(config)));
    }

    static ObjectNode payload(Notification notification) {
        ObjectNode root = HttpDelivery.JSON.objectNode();
        root.put("content", HttpDelivery.cut(notification.title(), 2000));
        ObjectNode embed = root.putArray("embeds").addObject();
        embed.put("title", HttpDelivery.cut(notification.title(), 256));
        embed.put("description", HttpDelivery.cut(notification.text(), 4096));
        embed.put("color", notification.isProblem() ? RED : GREEN);
        embed.put("timestamp", notification.at().toString());
        if (notification.link() != null) {
            embed.put("url", notification.link());
        }
        ArrayNode fields = embed.putArray("fields");
        if (notification.applicationName() != null) {
            fields.addObject().put("name", "App").put("value", HttpDelivery.cut(notification.applicationName(), 1024)).put("inline", true);
        }
        if (notification.commit() != null) {
            fields.addObject().put("name", "Commit").put("value", notification.commit()).put("inline", true);
        }
        if (notification.duration() != null) {
            fields.addObject().put("name", "Took").put("value", notification.duration().toSeconds() + "s").put("inline", true);
        }
        root.putObject("allowed_mentions").putArray("parse");
        return root;
    }

    @Override
    public void send(Notification notification) {
        http.post(url, HttpDelivery.bytes(payload(notification)), Map.of());
    }
}
