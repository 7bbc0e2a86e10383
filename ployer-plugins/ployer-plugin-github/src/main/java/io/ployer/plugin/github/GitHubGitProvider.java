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
        if (event.equals("pull_request")) {
            return pullRequest(body);
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

    /**
     * {@code opened}/{@code reopened} open a preview, {@code synchronize} (new commits) updates it, {@code closed}
     * (merged or not) ends it; other actions (labels, reviews, edits) are other events.
     */
    private WebhookEvent pullRequest(JsonNode body) {
        String action = body.path("action").asText("");
        WebhookEvent.PullRequest.Action kind = switch (action) {
            case "opened", "reopened" -> WebhookEvent.PullRequest.Action.OPENED;
            case "synchronize" -> WebhookEvent.PullRequest.Action.UPDATED;
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
            throw PloyerException.invalid("body", "is not a GitHub pull_request payload: no head or base");
        }
        JsonNode repository = body.path("repository").isObject() ? body.path("repository") : base.path("repo");
        String fullName = repository.path("full_name").asText(null);
        // A head repository that is gone (a deleted fork) is null: treated as a fork.
        boolean fork = !head.path("repo").isObject() || !head.path("repo").path("full_name").asText("").equals(fullName);
        int number = body.path("number").isInt() ? body.path("number").asInt() : pull.path("number").asInt();
        return new WebhookEvent.PullRequest(kind, number, pull.path("title").asText(null), pull.path("user").path("login").asText(null),
                base.path("ref").asText(), head.path("ref").asText(), head.path("sha").asText(),
                texts(repository, "clone_url", "ssh_url", "git_url", "html_url", "url", "svn_url"),
                texts(head.path("repo"), "clone_url", "ssh_url"), fork, fullName, apiUrl(repository.path("url").asText(""), fullName));
    }

    /** {@code https://api.github.com} from {@code https://api.github.com/repos/<owner>/<name>} (Enterprise: {@code …/api/v3}). */
    static String apiUrl(String repositoryApiUrl, String fullName) {
        String suffix = "/repos/" + fullName;
        if (fullName != null && repositoryApiUrl.endsWith(suffix)) {
            return repositoryApiUrl.substring(0, repositoryApiUrl.length() - suffix.length());
        }
        return "https://api.github.com";
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
                .header("Accept", "application/vnd.github+json")
                .header("Authorization", "Bearer " + status.token())
                .header("X-GitHub-Api-Version", "2022-11-28")
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body.toString())).build());
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
