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
