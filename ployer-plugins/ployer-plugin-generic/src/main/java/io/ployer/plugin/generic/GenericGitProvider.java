package io.ployer.plugin.generic;

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
 * A webhook any CI or script can call: the secret itself in {@code X-Ployer-Token} (or
 * {@code Authorization: Bearer <secret>}), compared in constant time; the body
 * {@code {"branch":"main","commit_sha":"…","message":"…","author":"…","repository_url":"…"}} (branch
 * and commit_sha required); {@code X-Ployer-Event: ping} for a test; {@code X-Ployer-Delivery} as
 * the optional delivery id.
 */
final class GenericGitProvider implements GitProvider {
    private static final String BEARER = "Bearer ";
    private final ObjectMapper mapper = new ObjectMapper();

    @Override
    public Verification verify(WebhookRequest request, String secret) {
        Optional<String> token = request.header("X-Ployer-Token")
                .or(() -> request.header("Authorization")
                        .filter(value -> value.regionMatches(true, 0, BEARER, 0, BEARER.length()))
                        .map(value -> value.substring(BEARER.length()).strip()));
        if (token.isEmpty()) {
            return new Verification.Rejected("missing X-Ployer-Token (or Authorization: Bearer) header");
        }
        return WebhookSignatures.constantTimeEquals(secret, token.get())
                ? new Verification.Verified() : new Verification.Rejected("token does not match");
    }

    @Override
    public WebhookEvent parse(WebhookRequest request) {
        String event = request.header("X-Ployer-Event").orElse("push");
        if (event.equals("ping")) {
            return new WebhookEvent.Ping();
        }
        if (!event.equals("push")) {
            return new WebhookEvent.Other(event);
        }
        JsonNode body;
        try {
            body = mapper.readTree(request.body());
        } catch (IOException e) {
            throw PloyerException.invalid("body", "is not a generic push payload: not JSON");
        }
        if (body == null || !body.isObject() || !body.path("branch").isTextual() || !body.path("commit_sha").isTextual()) {
            throw PloyerException.invalid("body", "is not a generic push payload: needs the strings branch and commit_sha");
        }
        return new WebhookEvent.Push(body.path("branch").asText(), body.path("commit_sha").asText(),
                body.path("author").asText(null), body.path("message").asText(null),
                body.path("repository_url").isTextual() ? body.path("repository_url").asText() : null);
    }

    @Override
    public Optional<String> deliveryId(WebhookRequest request) {
        return request.header("X-Ployer-Delivery").filter(id -> !id.isBlank());
    }
}
