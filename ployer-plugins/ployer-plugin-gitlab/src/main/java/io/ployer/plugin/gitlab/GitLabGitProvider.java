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
        if (event.equals("Merge Request Hook")) {
            return mergeRequest(body);
        }
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

    /**
     * {@code open}/{@code reopen} open a preview, {@code update} with a new head (GitLab also sends it for edits;
     * the engine skips a head it already previews) updates it, {@code close}/{@code merge} end it.
     */
    private WebhookEvent mergeRequest(JsonNode body) {
        JsonNode attributes = body.path("object_attributes");
        String action = attributes.path("action").asText("");
        WebhookEvent.PullRequest.Action kind = switch (action) {
            case "open", "reopen" -> WebhookEvent.PullRequest.Action.OPENED;
            case "update" -> WebhookEvent.PullRequest.Action.UPDATED;
            case "close", "merge" -> WebhookEvent.PullRequest.Action.CLOSED;
            default -> null;
        };
        if (kind == null) {
            return new WebhookEvent.Other("merge_request " + (action.isEmpty() ? "without action" : action));
        }
        String sha = attributes.path("last_commit").path("id").asText(null);
        if (sha == null || !attributes.path("source_branch").isTextual() || !attributes.path("target_branch").isTextual()) {
            throw PloyerException.invalid("body", "is not a GitLab Merge Request Hook payload: no last_commit, source or target branch");
        }
        JsonNode project = body.path("project");
        java.util.List<String> repository = new java.util.ArrayList<>(texts(project, "git_http_url", "git_ssh_url", "web_url",
                "http_url", "ssh_url", "url"));
        repository.addAll(texts(attributes.path("target"), "git_http_url", "git_ssh_url", "web_url"));
        boolean fork = attributes.path("source_project_id").asLong(-1) != attributes.path("target_project_id").asLong(-2);
        String projectId = project.path("id").isNumber() ? project.path("id").asText()
                : attributes.path("target_project_id").asText(null);
        return new WebhookEvent.PullRequest(kind, attributes.path("iid").asInt(), attributes.path("title").asText(null),
                body.path("user").path("name").asText(null), attributes.path("target_branch").asText(),
                attributes.path("source_branch").asText(), sha, repository,
                texts(attributes.path("source"), "git_http_url", "git_ssh_url"), fork, projectId,
                apiUrl(project.path("web_url").asText(""), project.path("path_with_namespace").asText("")));
    }

    /** {@code https://gitlab.example.com/api/v4} from the project's web URL (an instance under a path keeps it). */
    static String apiUrl(String webUrl, String pathWithNamespace) {
        if (webUrl.isEmpty()) {
            return "https://gitlab.com/api/v4";
        }
        String root = !pathWithNamespace.isEmpty() && webUrl.endsWith("/" + pathWithNamespace)
                ? webUrl.substring(0, webUrl.length() - pathWithNamespace.length() - 1) : java.net.URI.create(webUrl).resolve("/").toString();
        return (root.endsWith("/") ? root.substring(0, root.length() - 1) : root) + "/api/v4";
    }

    /** {@code POST /projects/:id/statuses/:sha} with {@code state}, {@code name}, {@code target_url}, {@code description}. */
    @Override
    public Optional<java.net.http.HttpRequest> commitStatusRequest(io.ployer.spi.git.CommitStatus status) {
        com.fasterxml.jackson.databind.node.ObjectNode body = mapper.createObjectNode();
        body.put("state", switch (status.state()) {
            case PENDING -> "running";
            case SUCCESS -> "success";
            case FAILURE -> "failed";
        });
        body.put("name", status.context());
        if (status.targetUrl() != null) {
            body.put("target_url", status.targetUrl());
        }
        body.put("description", status.description());
        return Optional.of(java.net.http.HttpRequest.newBuilder(java.net.URI.create(status.apiUrl() + "/projects/"
                        + java.net.URLEncoder.encode(status.repository(), java.nio.charset.StandardCharsets.UTF_8) + "/statuses/" + status.sha()))
                .header("PRIVATE-TOKEN", status.token())
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body.toString())).build());
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
