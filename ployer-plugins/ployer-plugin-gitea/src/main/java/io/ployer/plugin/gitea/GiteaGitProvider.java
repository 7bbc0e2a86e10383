package io.ployer.plugin.gitea;

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
 * Gitea and Forgejo webhooks: {@code X-Gitea-Signature} or {@code X-Forgejo-Signature} (hex
 * HMAC-SHA256 of the raw body, no prefix), {@code X-Gitea-Event} / {@code X-Forgejo-Event}
 * ({@code push}, {@code delete} …), {@code X-Gitea-Delivery} / {@code X-Forgejo-Delivery}.
 */
final class GiteaGitProvider implements GitProvider {
    private static final String ZERO = "0000000000000000000000000000000000000000";
    private final ObjectMapper mapper = new ObjectMapper();

    @Override
    public Verification verify(WebhookRequest request, String secret) {
        return WebhookSignatures.verifyHmacHeader(request, secret, "", "X-Gitea-Signature", "X-Forgejo-Signature");
    }

    @Override
    public WebhookEvent parse(WebhookRequest request) {
        String event = request.header("X-Gitea-Event").or(() -> request.header("X-Forgejo-Event")).orElse("");
        JsonNode body;
        try {
            body = mapper.readTree(request.body());
        } catch (IOException e) {
            throw PloyerException.invalid("body", "is not a Gitea " + event + " payload: not JSON");
        }
        if (body == null || !body.isObject()) {
            throw PloyerException.invalid("body", "is not a Gitea " + event + " payload: not a JSON object");
        }
        if (event.equals("delete")) {
            return body.path("ref_type").asText("").equals("branch")
                    ? new WebhookEvent.BranchDeleted(body.path("ref").asText()) : new WebhookEvent.Other("delete " + body.path("ref_type").asText());
        }
        if (!event.equals("push")) {
            return new WebhookEvent.Other(event.isEmpty() ? "unknown" : event);
        }
        String ref = body.path("ref").asText("");
        if (ref.isEmpty()) {
            throw PloyerException.invalid("body", "is not a Gitea push payload: no ref");
        }
        String after = body.path("after").asText("");
        if (ref.startsWith("refs/tags/")) {
            return new WebhookEvent.TagPush(ref.substring("refs/tags/".length()), after);
        }
        String branch = ref.startsWith("refs/heads/") ? ref.substring("refs/heads/".length()) : ref;
        if (after.equals(ZERO)) {
            return new WebhookEvent.BranchDeleted(branch);
        }
        JsonNode head = body.path("head_commit").isObject() ? body.path("head_commit") : body.path("commits").path(0);
        return new WebhookEvent.Push(branch, after, head.path("author").path("name").asText(null), head.path("message").asText(null),
                body.path("repository").path("clone_url").asText(null));
    }

    @Override
    public Optional<String> deliveryId(WebhookRequest request) {
        return request.header("X-Gitea-Delivery").or(() -> request.header("X-Forgejo-Delivery"));
    }
}
