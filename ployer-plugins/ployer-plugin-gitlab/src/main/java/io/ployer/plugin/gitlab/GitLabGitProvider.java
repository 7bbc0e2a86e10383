package io.ployer.plugin.gitlab;

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
 * GitLab webhooks: the secret token itself in {@code X-Gitlab-Token} (compared in constant time),
 * {@code X-Gitlab-Event} ({@code Push Hook}, {@code Tag Push Hook} …), and {@code Idempotency-Key}
 * or {@code X-Gitlab-Event-UUID} as the delivery id.
 */
final class GitLabGitProvider implements GitProvider {
    private static final String ZERO = "0000000000000000000000000000000000000000";
    private final ObjectMapper mapper = new ObjectMapper();

    @Override
    public Verification verify(WebhookRequest request, String secret) {
        Optional<String> token = request.header("X-Gitlab-Token");
        if (token.isEmpty()) {
            return new Verification.Rejected("missing X-Gitlab-Token header");
        }
        return WebhookSignatures.constantTimeEquals(secret, token.get())
                ? new Verification.Verified() : new Verification.Rejected("token does not match");
    }

    @Override
    public WebhookEvent parse(WebhookRequest request) {
        String event = request.header("X-Gitlab-Event").orElse("");
        JsonNode body;
        try {
            body = mapper.readTree(request.body());
        } catch (IOException e) {
            throw PloyerException.invalid("body", "is not a GitLab " + event + " payload: not JSON");
        }
        if (body == null || !body.isObject()) {
            throw PloyerException.invalid("body", "is not a GitLab " + event + " payload: not a JSON object");
        }
        if (!event.equals("Push Hook") && !event.equals("Tag Push Hook")) {
            return new WebhookEvent.Other(event.isEmpty() ? "unknown" : event);
        }
        String ref = body.path("ref").asText("");
        if (ref.isEmpty()) {
            throw PloyerException.invalid("body", "is not a GitLab " + event + " payload: no ref");
        }
        String after = body.hasNonNull("checkout_sha") ? body.path("checkout_sha").asText() : body.path("after").asText("");
        if (ref.startsWith("refs/tags/")) {
            return new WebhookEvent.TagPush(ref.substring("refs/tags/".length()), after);
        }
        String branch = ref.startsWith("refs/heads/") ? ref.substring("refs/heads/".length()) : ref;
        if (body.path("after").asText("").equals(ZERO)) {
            return new WebhookEvent.BranchDeleted(branch);
        }
        JsonNode head = null;
        for (JsonNode commit : body.path("commits")) {
            if (commit.path("id").asText("").equals(after) || head == null) {
                head = commit;
            }
        }
        String author = head == null ? body.path("user_name").asText(null) : head.path("author").path("name").asText(null);
        String message = head == null ? null : head.path("message").asText(null);
        return new WebhookEvent.Push(branch, after, author, message, body.path("project").path("git_http_url").asText(null));
    }

    @Override
    public Optional<String> deliveryId(WebhookRequest request) {
        return request.header("Idempotency-Key").or(() -> request.header("X-Gitlab-Event-UUID"))
                .or(() -> request.header("X-Gitlab-Webhook-UUID"));
    }
}
