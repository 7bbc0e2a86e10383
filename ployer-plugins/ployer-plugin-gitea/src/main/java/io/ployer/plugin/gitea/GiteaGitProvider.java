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
        if (event.equals("pull_request")) {
            return pullRequest(body);
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

    /**
     * {@code opened}/{@code reopened} open a preview, {@code synchronized} (new commits) updates it,
     * {@code closed} (merged or not) ends it; other actions are other events.
     */
    private WebhookEvent pullRequest(JsonNode body) {
        String action = body.path("action").asText("");
        WebhookEvent.PullRequest.Action kind = switch (action) {
            case "opened", "reopened" -> WebhookEvent.PullRequest.Action.OPENED;
            case "synchronized" -> WebhookEvent.PullRequest.Action.UPDATED;
            case "closed" -> WebhookEvent.PullRequest.Action.CLOSED;
            default -> null;
        };
        if (kind == null) {
            return new WebhookEvent.Other("pull_request " + (action.isEmpty() ? "without action" : action));
        }
        JsonNode pull = body.path("pull_request");
        JsonNode head = pull.path("head");
        JsonNode base = pull.path("base");
        if (!head.path("sha").isTextual() || !head.path("ref").isTextual() || !base.path("ref").isTextual()) {
            throw PloyerException.invalid("body", "is not a Gitea pull_request payload: no head or base");
        }
        JsonNode repository = body.path("repository");
        String fullName = repository.path("full_name").asText(null);
        // Gitea names the head's repository (repo_id, repo); another one than the target's is a fork.
        boolean fork = head.has("repo_id") && base.has("repo_id") ? head.path("repo_id").asLong() != base.path("repo_id").asLong()
                : head.path("repo").isObject() && !head.path("repo").path("full_name").asText("").equals(fullName);
        return new WebhookEvent.PullRequest(kind, body.path("number").asInt(pull.path("number").asInt()), pull.path("title").asText(null),
                pull.path("user").path("login").asText(null), base.path("ref").asText(), head.path("ref").asText(),
                head.path("sha").asText(), texts(repository, "clone_url", "ssh_url", "html_url"),
                texts(head.path("repo"), "clone_url", "ssh_url"), fork, fullName, apiUrl(repository.path("html_url").asText(""), fullName));
    }

    /** {@code https://gitea.example.com/api/v1} from the repository's page ({@code …/<owner>/<name>}). */
    static String apiUrl(String htmlUrl, String fullName) {
        String suffix = "/" + fullName;
        String root = fullName != null && htmlUrl.endsWith(suffix) ? htmlUrl.substring(0, htmlUrl.length() - suffix.length()) : htmlUrl;
        return root + "/api/v1";
    }

    /** {@code POST /repos/{owner}/{repo}/statuses/{sha}} with {@code state}, {@code target_url}, {@code description}, {@code context}. */
    @Override
    public Optional<java.net.http.HttpRequest> commitStatusRequest(io.ployer.spi.git.CommitStatus status) {
        com.fasterxml.jackson.databind.node.ObjectNode body = mapper.createObjectNode();
        body.put("state", status.state().name().toLowerCase(java.util.Locale.ROOT));
        if (status.targetUrl() != null) {
            body.put("target_url", status.targetUrl());
        }
        body.put("description", status.description());
        body.put("context", status.context());
        return Optional.of(java.net.http.HttpRequest.newBuilder(java.net.URI.create(status.apiUrl() + "/repos/" + status.repository()
                        + "/statuses/" + status.sha()))
                .header("Authorization", "token " + status.token())
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body.toString())).build());
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
