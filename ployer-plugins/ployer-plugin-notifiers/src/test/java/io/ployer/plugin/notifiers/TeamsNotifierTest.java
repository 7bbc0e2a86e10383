package io.ployer.plugin.notifiers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ployer.spi.notify.Notification;
import io.ployer.spi.notify.NotifierFactory;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TeamsNotifierTest extends HttpNotifierKit {

    @Override
    protected NotifierFactory factory() {
        return Factories.named("teams");
    }

    @Override
    protected Map<String, String> configFor() {
        return Map.of("url", receiver.url("/webhookb2/abc@def/IncomingWebhook/123/456"));
    }

    /** A legacy MessageCard (Teams connectors), whose {@code text} Mattermost reads too. */
    @Override
    protected void assertDelivered(Notification sent) {
        JsonNode body = Factories.json(delivered().text());
        assertThat(body.get("@type").asText()).isEqualTo("MessageCard");
        assertThat(body.get("@context").asText()).isEqualTo("https://schema.org/extensions");
        assertThat(body.get("summary").asText()).isEqualTo(sent.title());
        assertThat(body.get("title").asText()).isEqualTo(sent.title());
        assertThat(body.get("themeColor").asText()).isEqualTo("D13438");
        assertThat(body.get("text").asText()).isEqualTo(sent.text().replace("\n", "\n\n"));
        JsonNode action = body.get("potentialAction").get(0);
        assertThat(action.get("@type").asText()).isEqualTo("OpenUri");
        assertThat(action.get("targets").get(0).get("os").asText()).isEqualTo("default");
        assertThat(action.get("targets").get(0).get("uri").asText()).isEqualTo(sent.link());
    }

    @Test
    void postsAnAdaptiveCardMessageWhenAskedTo() {
        Notification sent = sampleNotification();
        factory().create(Map.of("url", receiver.url("/workflows/1"), "format", "adaptive-card"), context()).send(sent);
        JsonNode body = Factories.json(delivered().text());
        assertThat(body.get("type").asText()).isEqualTo("message");
        JsonNode attachment = body.get("attachments").get(0);
        assertThat(attachment.get("contentType").asText()).isEqualTo("application/vnd.microsoft.card.adaptive");
        assertThat(attachment.get("contentUrl").isNull()).isTrue();
        JsonNode card = attachment.get("content");
        assertThat(card.get("type").asText()).isEqualTo("AdaptiveCard");
        assertThat(card.get("version").asText()).isEqualTo("1.4");
        assertThat(card.get("body").get(0).get("type").asText()).isEqualTo("TextBlock");
        assertThat(card.get("body").get(0).get("text").asText()).isEqualTo(sent.title());
        assertThat(card.get("body").get(1).get("text").asText()).contains("Reason: the build failed");
        assertThat(card.get("actions").get(0).get("type").asText()).isEqualTo("Action.OpenUrl");
        assertThat(card.get("actions").get(0).get("url").asText()).isEqualTo(sent.link());
    }
}
