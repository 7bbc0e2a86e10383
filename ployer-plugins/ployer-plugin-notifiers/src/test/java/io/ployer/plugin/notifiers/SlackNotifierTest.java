package io.ployer.plugin.notifiers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ployer.spi.notify.Notification;
import io.ployer.spi.notify.NotifierFactory;
import java.util.Map;

class SlackNotifierTest extends HttpNotifierKit {

    @Override
    protected NotifierFactory factory() {
        return Factories.named("slack");
    }

    @Override
    protected Map<String, String> configFor() {
        return Map.of("url", receiver.url("/services/T000/B000/XXXXXXXXXXXXXXXX"));
    }

    /** Slack's incoming webhook: {@code text} (fallback) and Block Kit {@code blocks}. */
    @Override
    protected void assertDelivered(Notification sent) {
        var request = delivered();
        assertThat(request.path()).isEqualTo("/services/T000/B000/XXXXXXXXXXXXXXXX");
        JsonNode body = Factories.json(request.text());
        assertThat(body.get("text").asText()).startsWith(sent.title() + "\n").contains("Reason: the build failed");
        JsonNode blocks = body.get("blocks");
        assertThat(blocks).hasSize(3);
        assertThat(blocks.get(0).get("type").asText()).isEqualTo("header");
        assertThat(blocks.get(0).get("text").get("type").asText()).isEqualTo("plain_text");
        assertThat(blocks.get(0).get("text").get("text").asText()).isEqualTo("Deployment of shop failed");
        assertThat(blocks.get(1).get("type").asText()).isEqualTo("section");
        assertThat(blocks.get(1).get("text").get("type").asText()).isEqualTo("mrkdwn");
        // mrkdwn control characters are escaped as Slack documents.
        assertThat(blocks.get(1).get("text").get("text").asText()).contains("Fix &lt;checkout&gt; &amp; cart")
                .contains("Commit: 0123456789ab");
        JsonNode button = blocks.get(2).get("elements").get(0);
        assertThat(blocks.get(2).get("type").asText()).isEqualTo("actions");
        assertThat(button.get("type").asText()).isEqualTo("button");
        assertThat(button.get("url").asText()).isEqualTo(sent.link());
    }
}
