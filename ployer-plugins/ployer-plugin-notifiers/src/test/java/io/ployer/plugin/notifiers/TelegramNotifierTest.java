package io.ployer.plugin.notifiers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.ployer.api.PloyerException;
import io.ployer.spi.notify.Notification;
import io.ployer.spi.notify.NotifierFactory;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TelegramNotifierTest extends HttpNotifierKit {
    private static final String TOKEN = "123456789:AAbbCCddEEffGGhhIIjjKKllMMnnOOppQQ";

    @Override
    protected NotifierFactory factory() {
        return Factories.named("telegram");
    }

    @Override
    protected Map<String, String> configFor() {
        return Map.of("token", TOKEN, "chat-id", "-1001234567890", "base-url", receiver.baseUrl());
    }

    /** The Bot API's sendMessage: POST /bot&lt;token&gt;/sendMessage with chat_id and text. */
    @Override
    protected void assertDelivered(Notification sent) {
        var request = delivered();
        assertThat(request.path()).isEqualTo("/bot" + TOKEN + "/sendMessage");
        JsonNode body = Factories.json(request.text());
        assertThat(body.get("chat_id").asText()).isEqualTo("-1001234567890");
        assertThat(body.get("text").asText()).isEqualTo(sent.title() + "\n\n" + sent.text());
        assertThat(body.get("disable_web_page_preview").asBoolean()).isTrue();
        assertThat(body.has("parse_mode")).as("plain text: nothing to escape").isFalse();
    }

    @Test
    void refusesATokenAndChatIdOfTheWrongShapeListingBoth() {
        assertThatThrownBy(() -> factory().create(Map.of("token", "not a token", "chat-id", "general"), context()))
                .isInstanceOf(PloyerException.class)
                .hasMessageContaining("token: must look like a bot token")
                .hasMessageContaining("chat-id: must be a numeric chat id");
    }
}
