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
 * GitLab webhooks: the secret token itself in {@code X-Gitlab-Token} (compared in constant time;
 * GitLab signs nothing), {@code X-Gitlab-Event} ({@code Push Hook}, {@code Tag Push Hook} …), and
 * {@code Idempotency-Key} (GitLab 17.4+, the same on retries) or {@code X-Gitlab-Event-UUID} as the
 * delivery id. GitLab has no ping: its "Test" button sends an ordinary push, which is parsed as one.
 */
final class GitLabGitProvider implements GitProvider {
    private static final String NO_COMMIT = "0000000000000000000000000000000000000000";
    private static final String BRANCH_PREFIX = "refs/heads/";
    private static final String TAG_PREFIX = "refs/tags/";
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
        JsonNode body = readObject(request.body(), event);
        // System hooks carry push payloads too, but for the whole instance: never a deployment trigger.
        if (!event.equals("Push Hook") && !event.equals("Tag Push Hook")) {
            return new WebhookEvent.Other(event.isEmpty() ? "unknown" : event);
        }
        String ref = body.path("ref").asText("");
        if (ref.isEmpty() || !body.path("after").isTextual()) {
            throw PloyerException.invalid("body", "is not a GitLab " + event + " payload: no ref or after");
        }
        String after = body.path("after").asText();
        String head = body.hasNonNull("checkout_sha") ? body.path("checkout_sha").asText() : after;
        if (ref.startsWith(TAG_PREFIX)) {
            return after.equals(NO_COMMIT)
                    ? new WebhookEvent.Other("tag deletion") : new WebhookEvent.TagPush(ref.substring(TAG_PREFIX.length()), head);
        }
        String branch = ref.startsWith(BRANCH_PREFIX) ? ref.substring(BRANCH_PREFIX.length()) : ref;
        if (after.equals(NO_COMMIT)) {
            return new WebhookEvent.BranchDeleted(branch);
        }
        JsonNode commits = body.path("commits");
        if (!commits.isArray()) {
            return new WebhookEvent.Other("push without commits");
        }
        JsonNode headCommit = lastCommitOrMatching(commits, head);
        String author = headCommit == null ? body.path("user_name").asText(null) : headCommit.path("author").path("name").asText(null);
        String message = headCommit == null ? null : headCommit.path("message").asText(null);
        java.util.List<String> repository = new java.util.ArrayList<>(texts(body.path("project"), "git_http_url", "git_ssh_url",
                "web_url", "http_url", "ssh_url", "url"));
        repository.addAll(texts(body.path("repository"), "git_http_url", "git_ssh_url", "homepage", "url"));
        return new WebhookEvent.Push(branch, head, author, message, null, repository);
    }

    @Override
    public Optional<String> deliveryId(WebhookRequest request) {
        return request.header("Idempotency-Key").or(() -> request.header("X-Gitlab-Event-UUID"));
    }

    /** GitLab lists commits oldest first (at most 20); the pushed head is the one with its id, else the last. */
    private static JsonNode lastCommitOrMatching(JsonNode commits, String head) {
        JsonNode last = null;
        for (JsonNode commit : commits) {
            if (commit.path("id").asText("").equals(head)) {
                return commit;
            }
            last = commit;
        }
        return last;
    }

    private JsonNode readObject(byte[] body, String event) {
        JsonNode node;
        try {
            node = mapper.readTree(body);
        } catch (IOException e) {
            throw PloyerException.invalid("body", "is not a GitLab " + event + " payload: not JSON");
        }
        if (node == null || !node.isObject()) {
            throw PloyerException.invalid("body", "is not a GitLab " + event + " payload: not a JSON object");
        }
        return node;
    }

    /** The textual fields of {@code node} that are present, in order. */
    private static java.util.List<String> texts(JsonNode node, String... fields) {
        java.util.List<String> values = new java.util.ArrayList<>();
        for (String field : fields) {
            if (node.path(field).isTextual()) {
                values.add(node.path(field).asText());
            }
        }
        return values;
    }
}
