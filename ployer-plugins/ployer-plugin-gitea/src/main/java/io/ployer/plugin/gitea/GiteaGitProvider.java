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
 * Gitea and Forgejo webhooks: {@code X-Forgejo-Signature} or {@code X-Gitea-Signature} (hex
 * HMAC-SHA256 of the raw body, no prefix; Forgejo sends both), {@code X-Forgejo-Event} /
 * {@code X-Gitea-Event} ({@code push}, {@code delete} …), {@code X-Forgejo-Delivery} /
 * {@code X-Gitea-Delivery}. Neither forge has a ping: "Test delivery" sends a push.
 */
final class GiteaGitProvider implements GitProvider {
    private static final String NO_COMMIT = "0000000000000000000000000000000000000000";
    private static final String BRANCH_PREFIX = "refs/heads/";
    private static final String TAG_PREFIX = "refs/tags/";
    private final ObjectMapper mapper = new ObjectMapper();

    @Override
    public Verification verify(WebhookRequest request, String secret) {
        // The Forgejo header first: when it is present, a good Gitea one must not rescue a bad one.
        return WebhookSignatures.verifyHmacHeader(request, secret, "", "X-Forgejo-Signature", "X-Gitea-Signature");
    }

    @Override
    public WebhookEvent parse(WebhookRequest request) {
        String event = request.header("X-Forgejo-Event").or(() -> request.header("X-Gitea-Event")).orElse("");
        JsonNode body = readObject(request.body(), event);
        if (event.equals("delete")) {
            String refType = body.path("ref_type").asText("");
            if (refType.isEmpty() || !body.path("ref").isTextual()) {
                throw PloyerException.invalid("body", "is not a Gitea delete payload: no ref or ref_type");
            }
            return refType.equals("branch") ? new WebhookEvent.BranchDeleted(body.path("ref").asText())
                    : new WebhookEvent.Other(refType + " deletion");
        }
        if (!event.equals("push")) {
            return new WebhookEvent.Other(event.isEmpty() ? "unknown" : event);
        }
        String ref = body.path("ref").asText("");
        if (ref.isEmpty() || !body.path("after").isTextual()) {
            throw PloyerException.invalid("body", "is not a Gitea push payload: no ref or after");
        }
        String after = body.path("after").asText();
        if (ref.startsWith(TAG_PREFIX)) {
            return after.equals(NO_COMMIT)
                    ? new WebhookEvent.Other("tag deletion") : new WebhookEvent.TagPush(ref.substring(TAG_PREFIX.length()), after);
        }
        String branch = ref.startsWith(BRANCH_PREFIX) ? ref.substring(BRANCH_PREFIX.length()) : ref;
        if (after.equals(NO_COMMIT)) {
            return new WebhookEvent.BranchDeleted(branch);
        }
        JsonNode head = body.path("head_commit").isObject() ? body.path("head_commit") : commitWithId(body.path("commits"), after);
        return new WebhookEvent.Push(branch, after, head.path("author").path("name").asText(null), head.path("message").asText(null),
                null, texts(body.path("repository"), "clone_url", "ssh_url", "html_url"));
    }

    @Override
    public Optional<String> deliveryId(WebhookRequest request) {
        return request.header("X-Forgejo-Delivery").or(() -> request.header("X-Gitea-Delivery"));
    }

    /** Without head_commit (older Gitea), the listed commit that is the pushed head, else none. */
    private static JsonNode commitWithId(JsonNode commits, String id) {
        for (JsonNode commit : commits) {
            if (commit.path("id").asText("").equals(id)) {
                return commit;
            }
        }
        return commits.path(-1);
    }

    private JsonNode readObject(byte[] body, String event) {
        JsonNode node;
        try {
            node = mapper.readTree(body);
        } catch (IOException e) {
            throw PloyerException.invalid("body", "is not a Gitea " + event + " payload: not JSON");
        }
        if (node == null || !node.isObject()) {
            throw PloyerException.invalid("body", "is not a Gitea " + event + " payload: not a JSON object");
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
