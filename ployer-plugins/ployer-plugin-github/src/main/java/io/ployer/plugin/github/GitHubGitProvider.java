package io.ployer.plugin.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ployer.api.PloyerException;
import io.ployer.spi.git.GitProvider;
import io.ployer.spi.git.Verification;
import io.ployer.spi.git.WebhookEvent;
import io.ployer.spi.git.WebhookRequest;
import io.ployer.spi.git.WebhookSignatures;
import java.io.IOException;
import java.util.Optional;

/**
 * GitHub webhooks: {@code X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>},
 * {@code X-GitHub-Event} ({@code push}, {@code ping} …), {@code X-GitHub-Delivery}.
 */
final class GitHubGitProvider implements GitProvider {
    private static final String ZERO = "0000000000000000000000000000000000000000";
    private final ObjectMapper mapper = new ObjectMapper();

    @Override
    public Verification verify(WebhookRequest request, String secret) {
        return WebhookSignatures.verifyHmacHeader(request, secret, "sha256=", "X-Hub-Signature-256");
    }

    @Override
    public WebhookEvent parse(WebhookRequest request) {
        String event = request.header("X-GitHub-Event").orElse("");
        JsonNode body = read(request.body(), event);
        if (event.equals("ping")) {
            return new WebhookEvent.Ping();
        }
        if (!event.equals("push")) {
            return new WebhookEvent.Other(event.isEmpty() ? "unknown" : event);
        }
        String ref = text(body, "ref", event);
        String after = body.path("after").asText("");
        if (ref.startsWith("refs/tags/")) {
            return new WebhookEvent.TagPush(ref.substring("refs/tags/".length()), after);
        }
        if (!ref.startsWith("refs/heads/")) {
            return new WebhookEvent.Other("push to " + ref);
        }
        String branch = ref.substring("refs/heads/".length());
        if (body.path("deleted").asBoolean(false) || after.equals(ZERO)) {
            return new WebhookEvent.BranchDeleted(branch);
        }
        JsonNode head = body.path("head_commit");
        return new WebhookEvent.Push(branch, after, head.path("author").path("name").asText(null),
                head.path("message").asText(null), body.path("repository").path("clone_url").asText(null));
    }

    @Override
    public Optional<String> deliveryId(WebhookRequest request) {
        return request.header("X-GitHub-Delivery");
    }

    private JsonNode read(byte[] body, String event) {
        try {
            JsonNode node = mapper.readTree(body);
            if (node == null || !node.isObject()) {
                throw PloyerException.invalid("body", "is not a GitHub " + event + " payload: not a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw PloyerException.invalid("body", "is not a GitHub " + event + " payload: not JSON");
        }
    }

    private static String text(JsonNode body, String field, String event) {
        JsonNode value = body.get(field);
        if (value == null || !value.isTextual()) {
            throw PloyerException.invalid("body", "is not a GitHub " + event + " payload: no " + field);
        }
        return value.asText();
    }
}
