package io.ployer.plugin.notifiers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ployer.spi.notify.Notification;
import io.ployer.spi.notify.NotifierFactory;
import java.util.Map;

class DiscordNotifierTest extends HttpNotifierKit {

    @Override
    protected NotifierFactory factory() {
        return Factories.named("discord");
    }

    @Override
    protected Map<String, String> configFor() {
        return Map.of("url", receiver.url("/api/webhooks/123456/token-abcdefghijkl"));
    }

    /** Discord's execute-webhook: {@code content} and {@code embeds}, mentions not parsed. */
    @Override
    protected void assertDelivered(Notification sent) {
        var request = delivered();
        assertThat(request.path()).isEqualTo("/api/webhooks/123456/token-abcdefghijkl");
        JsonNode body = Factories.json(request.text());
        assertThat(body.get("content").asText()).isEqualTo("Deployment of shop failed");
        JsonNode embed = body.get("embeds").get(0);
        assertThat(body.get("embeds")).hasSize(1);
        assertThat(embed.get("title").asText()).isEqualTo(sent.title());
        assertThat(embed.get("description").asText()).isEqualTo(sent.text());
        assertThat(embed.get("color").asInt()).isEqualTo(0xD13438);
        assertThat(embed.get("url").asText()).isEqualTo(sent.link());
        assertThat(embed.get("timestamp").asText()).isEqualTo("2026-01-02T03:04:05Z");
        assertThat(embed.get("fields").findValuesAsText("name")).containsExactly("App", "Commit", "Took");
        assertThat(embed.get("fields").findValuesAsText("value")).containsExactly("shop", "0123456789ab", "65s");
        assertThat(body.get("allowed_mentions").get("parse")).isEmpty();
    }
}
