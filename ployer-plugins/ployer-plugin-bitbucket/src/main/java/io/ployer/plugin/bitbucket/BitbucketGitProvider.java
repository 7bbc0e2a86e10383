package io.ployer.plugin.bitbucket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ployer.api.PloyerException;
import io.ployer.spi.git.GitProvider;
import io.ployer.spi.git.Verification;
import io.ployer.spi.git.WebhookEvent;
import io.ployer.spi.git.WebhookRequest;
import io.ployer.spi.git.WebhookSignatures;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Bitbucket Cloud webhooks: {@code X-Hub-Signature: sha256=<hex HMAC-SHA256 of the raw body>},
 * {@code X-Event-Key} ({@code repo:push}, {@code diagnostics:ping} …), {@code X-Request-UUID} as the
 * delivery id. ({@code X-Hook-UUID} names the webhook, not the delivery, so it is no delivery id:
 * every later delivery would look like a replay.)
 */
final class BitbucketGitProvider implements GitProvider {
    private final ObjectMapper mapper = new ObjectMapper();

    @Override
    public Verification verify(WebhookRequest request, String secret) {
        return WebhookSignatures.verifyHmacHeader(request, secret, "sha256=", "X-Hub-Signature");
    }

    /** The first change of the delivery; {@link #parseAll} gives every one. */
    @Override
    public WebhookEvent parse(WebhookRequest request) {
        return parseAll(request).get(0);
    }

    /** One event per entry of {@code push.changes} (a push may update one branch, create another and push a tag at once). */
    @Override
    public List<WebhookEvent> parseAll(WebhookRequest request) {
        String event = request.header("X-Event-Key").orElse("");
        JsonNode body = readObject(request.body(), event);
        if (event.equals("diagnostics:ping")) {
            return List.of(new WebhookEvent.Ping());
        }
        if (event.startsWith("pullrequest:")) {
            return List.of(pullRequest(event, body));
        }
        if (!event.equals("repo:push")) {
            return List.of(new WebhookEvent.Other(event.isEmpty() ? "unknown" : event));
        }
        JsonNode changes = body.path("push").path("changes");
        if (!changes.isArray() || changes.isEmpty()) {
            throw PloyerException.invalid("body", "is not a Bitbucket repo:push payload: no push.changes");
        }
        JsonNode links = body.path("repository").path("links");
        List<String> repository = new ArrayList<>();
        for (String link : List.of("html", "clone")) {
            JsonNode href = links.path(link).path("href");
            if (href.isTextual()) {
                repository.add(href.asText());
            }
        }
        List<WebhookEvent> events = new ArrayList<>();
        for (JsonNode change : changes) {
            events.add(change(change, repository));
        }
        return events;
    }

    /**
     * {@code pullrequest:created} opens a preview, {@code pullrequest:updated} (new commits, or an edit: the engine
     * skips a head it already previews) updates it, {@code pullrequest:fulfilled} (merged) and
     * {@code pullrequest:rejected} (declined) end it. Bitbucket names the head commit by 12 characters.
     */
    private static WebhookEvent pullRequest(String event, JsonNode body) {
        WebhookEvent.PullRequest.Action kind = switch (event) {
            case "pullrequest:created" -> WebhookEvent.PullRequest.Action.OPENED;
            case "pullrequest:updated" -> WebhookEvent.PullRequest.Action.UPDATED;
            case "pullrequest:fulfilled", "pullrequest:rejected" -> WebhookEvent.PullRequest.Action.CLOSED;
            default -> null;
        };
        if (kind == null) {
            return new WebhookEvent.Other(event);
        }
        JsonNode pull = body.path("pullrequest");
        JsonNode source = pull.path("source");
        JsonNode destination = pull.path("destination");
        String sha = source.path("commit").path("hash").asText(null);
        String head = source.path("branch").path("name").asText(null);
        String base = destination.path("branch").path("name").asText(null);
        if (sha == null || head == null || base == null) {
            throw PloyerException.invalid("body", "is not a Bitbucket " + event + " payload: no source commit, source or destination branch");
        }
        JsonNode repository = body.path("repository").isObject() ? body.path("repository") : destination.path("repository");
        String fullName = repository.path("full_name").asText(null);
        String sourceName = source.path("repository").path("full_name").asText(fullName);
        List<String> headUrls = new ArrayList<>();
        JsonNode sourceHtml = source.path("repository").path("links").path("html").path("href");
        if (sourceHtml.isTextual()) {
            headUrls.add(sourceHtml.asText());
        }
        List<String> repositoryUrls = new ArrayList<>();
        for (String link : List.of("html", "clone")) {
            JsonNode href = repository.path("links").path(link).path("href");
            if (href.isTextual()) {
                repositoryUrls.add(href.asText());
            }
        }
        return new WebhookEvent.PullRequest(kind, pull.path("id").asInt(), pull.path("title").asText(null),
                author(pull.path("author")), base, head, sha, repositoryUrls, headUrls,
                fullName != null && !fullName.equals(sourceName), fullName, "https://api.bitbucket.org/2.0");
    }

    /** The display name, else the nickname, else the user name (older payloads). */
    private static String author(JsonNode author) {
        for (String field : List.of("display_name", "nickname", "username")) {
            if (author.path(field).isTextual()) {
                return author.path(field).asText();
            }
        }
        return null;
    }

    /**
     * {@code POST /repositories/{workspace}/{repo_slug}/commit/{commit}/statuses/build} with {@code key}, {@code state}
     * ({@code INPROGRESS}, {@code SUCCESSFUL}, {@code FAILED}), {@code name}, {@code url} and {@code description}.
     */
    @Override
    public java.util.Optional<java.net.http.HttpRequest> commitStatusRequest(io.ployer.spi.git.CommitStatus status) {
        com.fasterxml.jackson.databind.node.ObjectNode body = new ObjectMapper().createObjectNode();
        body.put("key", status.context());
        body.put("state", switch (status.state()) {
            case PENDING -> "INPROGRESS";
            case SUCCESS -> "SUCCESSFUL";
            case FAILURE -> "FAILED";
        });
        body.put("name", "Ployer preview");
        // Bitbucket requires a url: the preview's, or the repository's page while there is none
        body.put("url", status.targetUrl() != null ? status.targetUrl() : "https://bitbucket.org/" + status.repository());
        body.put("description", status.description());
        return java.util.Optional.of(java.net.http.HttpRequest.newBuilder(java.net.URI.create(status.apiUrl() + "/repositories/"
                        + status.repository() + "/commit/" + status.sha() + "/statuses/build"))
                .header("Authorization", "Bearer " + status.token())
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body.toString())).build());
    }

    private static WebhookEvent change(JsonNode change, List<String> repository) {
        if (!change.isObject()) {
            throw PloyerException.invalid("body", "is not a Bitbucket repo:push payload: a push.changes entry is not an object");
        }
        JsonNode created = change.path("new");
        if (!created.isObject()) {
            String oldType = change.path("old").path("type").asText("");
            return oldType.equals("branch")
                    ? new WebhookEvent.BranchDeleted(change.path("old").path("name").asText()) : new WebhookEvent.Other(oldType + " deletion");
        }
        String type = created.path("type").asText("");
        String name = created.path("name").asText("");
        JsonNode target = created.path("target");
        String hash = target.path("hash").asText("");
        if (name.isEmpty() || hash.isEmpty()) {
            throw PloyerException.invalid("body", "is not a Bitbucket repo:push payload: no new.name or new.target.hash");
        }
        if (type.equals("tag") || type.equals("annotated_tag")) {
            return new WebhookEvent.TagPush(name, hash);
        }
        if (!type.equals("branch")) {
            return new WebhookEvent.Other("push of " + type);
        }
        return new WebhookEvent.Push(name, hash, authorName(target.path("author").path("raw").asText(null)),
                target.path("message").asText(null), null, repository);
    }

    @Override
    public Optional<String> deliveryId(WebhookRequest request) {
        return request.header("X-Request-UUID");
    }

    /** The git author of {@code Name <email>}, as the other forges report it (and no e-mail address to store). */
    private static String authorName(String raw) {
        if (raw == null) {
            return null;
        }
        int email = raw.indexOf('<');
        String name = (email < 0 ? raw : raw.substring(0, email)).strip();
        return name.isEmpty() ? raw.strip() : name;
    }

    private JsonNode readObject(byte[] body, String event) {
        JsonNode node;
        try {
            node = mapper.readTree(body);
        } catch (IOException e) {
            throw PloyerException.invalid("body", "is not a Bitbucket " + event + " payload: not JSON");
        }
        if (node == null || !node.isObject()) {
            throw PloyerException.invalid("body", "is not a Bitbucket " + event + " payload: not a JSON object");
        }
        return node;
    }
}
