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
 * Microsoft Teams and Mattermost incoming webhooks. {@code format=message-card} (the default) posts
 * a legacy MessageCard, whose {@code text} Mattermost also reads; {@code format=adaptive-card}
 * posts an Adaptive Card message, as Teams Workflows webhooks expect.
 */
public final class TeamsNotifier implements Notifier {
    private final URI url;
    private final boolean adaptive;
    private final HttpDelivery http;

    private TeamsNotifier(URI url, boolean adaptive, HttpDelivery http) {
        this.url = url;
        this.adaptive = adaptive;
        this.http = http;
    }

    /** Reads {@code url} (secret), {@code format} and {@code timeout}. */
    public static Notifier of(PluginConfig config, PluginContext context) {
        String format = config.string("format", "message-card");
        if (!format.equals("message-card") && !format.equals("adaptive-card")) {
            config.problem("format", "must be message-card or adaptive-card");
        }
        return new TeamsNotifier(HttpDelivery.url(config, "url"), format.equals("adaptive-card"),
                new HttpDelivery("Teams", context, HttpDelivery.timeout(config)));
    }

    static ObjectNode messageCard(Notification notification) {
        ObjectNode root = HttpDelivery.JSON.objectNode();
        root.put("@type", "MessageCard");
        root.put("@context", "https://schema.org/extensions");
        root.put("summary", HttpDelivery.cut(notification.title(), 200));
        root.put("themeColor", notification.isProblem() ? "D13438" : "2EB886");
        root.put("title", notification.title());
        // MessageCard markdown needs a blank line for a line break.
        root.put("text", notification.text().replace("\n", "\n\n"));
        if (notification.link() != null) {
            ObjectNode action = root.putArray("potentialAction").addObject();
            action.put("@type", "OpenUri").put("name", "Open in Ployer");
            action.putArray("targets").addObject().put("os", "default").put("uri", notification.link());
        }
        return root;
    }

    static ObjectNode adaptiveCard(Notification notification) {
        ObjectNode root = HttpDelivery.JSON.objectNode();
        root.put("type", "message");
        ObjectNode attachment = root.putArray("attachments").addObject();
        attachment.put("contentType", "application/vnd.microsoft.card.adaptive");
        attachment.putNull("contentUrl");
        ObjectNode card = attachment.putObject("content");
        card.put("$schema", "http://adaptivecards.io/schemas/adaptive-card.json");
        card.put("type", "AdaptiveCard");
        card.put("version", "1.4");
        ArrayNode body = card.putArray("body");
        body.addObject().put("type", "TextBlock").put("text", notification.title()).put("weight", "Bolder").put("size", "Medium")
                .put("wrap", true).put("color", notification.isProblem() ? "Attention" : "Good");
        body.addObject().put("type", "TextBlock").put("text", notification.text().replace("\n", "\n\n")).put("wrap", true);
        if (notification.link() != null) {
            card.putArray("actions").addObject().put("type", "Action.OpenUrl").put("title", "Open in Ployer")
                    .put("url", notification.link());
        }
        return root;
    }

    @Override
    public void send(Notification notification) {
        http.post(url, HttpDelivery.bytes(adaptive ? adaptiveCard(notification) : messageCard(notification)), Map.of());
    }
}
