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
import java.util.Optional;

/**
 * Bitbucket Cloud webhooks: {@code X-Hub-Signature: sha256=<hex HMAC-SHA256 of the raw body>},
 * {@code X-Event-Key} ({@code repo:push}, {@code diagnostics:ping} …), {@code X-Request-UUID}.
 */
final class BitbucketGitProvider implements GitProvider {
    private final ObjectMapper mapper = new ObjectMapper();

    @Override
    public Verification verify(WebhookRequest request, String secret) {
        return WebhookSignatures.verifyHmacHeader(request, secret, "sha256=", "X-Hub-Signature");
    }

    @Override
    public WebhookEvent parse(WebhookRequest request) {
        String event = request.header("X-Event-Key").orElse("");
        JsonNode body;
        try {
            body = mapper.readTree(request.body());
        } catch (IOException e) {
            throw PloyerException.invalid("body", "is not a Bitbucket " + event + " payload: not JSON");
        }
        if (body == null || !body.isObject()) {
            throw PloyerException.invalid("body", "is not a Bitbucket " + event + " payload: not a JSON object");
        }
        if (event.equals("diagnostics:ping")) {
            return new WebhookEvent.Ping();
        }
        if (!event.equals("repo:push")) {
            return new WebhookEvent.Other(event.isEmpty() ? "unknown" : event);
        }
        JsonNode change = body.path("push").path("changes").path(0);
        if (change.isMissingNode()) {
            throw PloyerException.invalid("body", "is not a Bitbucket repo:push payload: no push.changes");
        }
        JsonNode created = change.path("new");
        if (created.isNull() || created.isMissingNode()) {
            JsonNode old = change.path("old");
            return old.path("type").asText("").equals("branch")
                    ? new WebhookEvent.BranchDeleted(old.path("name").asText()) : new WebhookEvent.Other("deleted " + old.path("type").asText());
        }
        String type = created.path("type").asText("");
        String name = created.path("name").asText("");
        String hash = created.path("target").path("hash").asText("");
        if (type.equals("tag")) {
            return new WebhookEvent.TagPush(name, hash);
        }
        if (!type.equals("branch") || name.isEmpty() || hash.isEmpty()) {
            return new WebhookEvent.Other("push of " + type);
        }
        JsonNode target = created.path("target");
        String author = target.path("author").path("user").path("display_name").asText(target.path("author").path("raw").asText(null));
        return new WebhookEvent.Push(name, hash, author, target.path("message").asText(null),
                body.path("repository").path("links").path("html").path("href").asText(null));
    }

    @Override
    public Optional<String> deliveryId(WebhookRequest request) {
        return request.header("X-Request-UUID").or(() -> request.header("X-Hook-UUID"));
    }
}
