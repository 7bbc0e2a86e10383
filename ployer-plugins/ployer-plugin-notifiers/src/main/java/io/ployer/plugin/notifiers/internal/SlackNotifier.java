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
 * Slack incoming webhook: {@code text} (the notification and fallback) plus Block Kit blocks: a
 * header, the body as a mrkdwn section, and a button to the dashboard when there is a link.
 */
public final class SlackNotifier implements Notifier {
    private final URI url;
    private final HttpDelivery http;

    private SlackNotifier(URI url, HttpDelivery http) {
        this.url = url;
        this.http = http;
    }

    /** Reads {@code url} (secret) and {@code timeout}. */
    public static Notifier of(PluginConfig config, PluginContext context) {
        return new SlackNotifier(HttpDelivery.url(config, "url"), new HttpDelivery("Slack", context, HttpDelivery.timeout(config)));
    }

    static ObjectNode payload(Notification notification) {
        ObjectNode root = HttpDelivery.JSON.objectNode();
        root.put("text", HttpDelivery.cut(notification.title() + "\n" + notification.text(), 3000));
        ArrayNode blocks = root.putArray("blocks");
        ObjectNode header = blocks.addObject().put("type", "header");
        header.putObject("text").put("type", "plain_text").put("text", HttpDelivery.cut(notification.title(), 150));
        ObjectNode section = blocks.addObject().put("type", "section");
        section.putObject("text").put("type", "mrkdwn").put("text", HttpDelivery.cut(escape(notification.text()), 3000));
        if (notification.link() != null) {
            ObjectNode actions = blocks.addObject().put("type", "actions");
            ObjectNode button = actions.putArray("elements").addObject().put("type", "button");
            button.putObject("text").put("type", "plain_text").put("text", "Open in Ployer");
            button.put("url", notification.link());
        }
        return root;
    }

    /** Slack's mrkdwn needs {@code &}, {@code <} and {@code >} escaped. */
    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    @Override
    public void send(Notification notification) {
        http.post(url, HttpDelivery.bytes(payload(notification)), Map.of());
    }
}
