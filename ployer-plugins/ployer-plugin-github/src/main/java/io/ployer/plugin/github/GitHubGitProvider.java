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
    private static final String NO_COMMIT = "0000000000000000000000000000000000000000";
    private static final String BRANCH_PREFIX = "refs/heads/";
    private static final String TAG_PREFIX = "refs/tags/";
    private final ObjectMapper mapper = new ObjectMapper();

    @Override
    public Verification verify(WebhookRequest request, String secret) {
        return WebhookSignatures.verifyHmacHeader(request, secret, "sha256=", "X-Hub-Signature-256");
    }

    @Override
    public WebhookEvent parse(WebhookRequest request) {
        String event = request.header("X-GitHub-Event").orElse("");
        JsonNode body = readObject(request.body(), event);
        if (event.equals("ping")) {
            return new WebhookEvent.Ping();
        }
        if (!event.equals("push")) {
            return new WebhookEvent.Other(event.isEmpty() ? "unknown" : event);
        }
        String ref = requiredText(body, "ref", event);
        String after = requiredText(body, "after", event);
        boolean deleted = body.path("deleted").asBoolean(false) || after.equals(NO_COMMIT);
        if (ref.startsWith(TAG_PREFIX)) {
            return deleted ? new WebhookEvent.Other("tag deletion") : new WebhookEvent.TagPush(ref.substring(TAG_PREFIX.length()), after);
        }
        if (!ref.startsWith(BRANCH_PREFIX)) {
            return new WebhookEvent.Other("push to " + ref);
        }
        String branch = ref.substring(BRANCH_PREFIX.length());
        if (deleted) {
            return new WebhookEvent.BranchDeleted(branch);
        }
        JsonNode head = body.path("head_commit");
        return new WebhookEvent.Push(branch, after, head.path("author").path("name").asText(null),
                head.path("message").asText(null), null,
                texts(body.path("repository"), "clone_url", "ssh_url", "git_url", "html_url", "url", "svn_url"));
    }

    @Override
    public Optional<String> deliveryId(WebhookRequest request) {
        return request.header("X-GitHub-Delivery");
    }

    private JsonNode readObject(byte[] body, String event) {
        JsonNode node;
        try {
            node = mapper.readTree(body);
        } catch (IOException e) {
            throw PloyerException.invalid("body", "is not a GitHub " + event + " payload: not JSON");
        }
        if (node == null || !node.isObject()) {
            throw PloyerException.invalid("body", "is not a GitHub " + event + " payload: not a JSON object");
        }
        return node;
    }

    private static String requiredText(JsonNode body, String field, String event) {
        JsonNode value = body.get(field);
        if (value == null || !value.isTextual()) {
            throw PloyerException.invalid("body", "is not a GitHub " + event + " payload: no " + field);
        }
        return value.asText();
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
