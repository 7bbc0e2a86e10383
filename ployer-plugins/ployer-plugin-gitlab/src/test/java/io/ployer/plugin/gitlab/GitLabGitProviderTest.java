package io.ployer.plugin.gitlab;

import static org.assertj.core.api.Assertions.assertThat;

import io.ployer.spi.plugin.PluginContext;
import io.ployer.spi.git.GitProvider;
import io.ployer.spi.git.WebhookEvent;
import io.ployer.spi.git.WebhookRequest;
import io.ployer.testkit.git.GitProviderCompatibilityKit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** GitLab deliveries in GitLab's documented format; GitLab sends the token itself, not a signature. */
class GitLabGitProviderTest extends GitProviderCompatibilityKit {
    private static final String SHA = "da1560886d4f094c3e6c9ef40349f7d38b5d27d7";

    @Override
    protected GitProvider provider() {
        return new GitLabPlugin().gitProviderFactories().get(0).create(Map.of(), new PluginContext() {
        });
    }

    @Override
    protected boolean signsTheBody() {
        return false;
    }

    @Override
    protected boolean sendsPings() {
        return false;
    }

    @Override
    protected Map<String, List<String>> signedHeaders(byte[] body, String secret, String eventKind) {
        return headers(secret, eventKind.equals(TAG) ? "Tag Push Hook" : "Push Hook");
    }

    @Override
    protected String signatureHeader() {
        return "X-Gitlab-Token";
    }

    @Override
    protected WebhookEvent expectedEvent(String eventKind) {
        return switch (eventKind) {
            case PUSH -> new WebhookEvent.Push("main", SHA, "GitLab dev user", "fixed readme", null,
                    List.of("https://gitlab.example.com/mike/diaspora.git", "git@gitlab.example.com:mike/diaspora.git",
                            "https://gitlab.example.com/mike/diaspora"));
            case TAG -> new WebhookEvent.TagPush("v1.0.0", SHA);
            default -> new WebhookEvent.BranchDeleted("old-feature");
        };
    }

    @Test
    void reportsSystemHooksAsOtherEvenWhenTheyCarryAPush() {
        WebhookRequest request = new WebhookRequest(payload(PUSH), headers(SECRET, "System Hook"));
        assertThat(provider().parse(request)).isEqualTo(new WebhookEvent.Other("System Hook"));
    }

    @Test
    void fallsBackToTheEventUuidForOlderGitLab() {
        WebhookRequest request = new WebhookRequest(payload(PUSH), Map.of("X-Gitlab-Token", List.of(SECRET),
                "X-Gitlab-Event", List.of("Push Hook"), "X-Gitlab-Event-UUID", List.of("13792a34-cac6-4fda-95a8-c58e00a3954e")));
        assertThat(provider().deliveryId(request)).contains("13792a34-cac6-4fda-95a8-c58e00a3954e");
    }

    private static Map<String, List<String>> headers(String secret, String event) {
        return Map.of("X-Gitlab-Token", List.of(secret), "X-Gitlab-Event", List.of(event),
                "Idempotency-Key", List.of("b8f0a3f1-3f4a-4b9e-9c1d-1c2a3b4c5d6e"),
                "X-Gitlab-Event-UUID", List.of("13792a34-cac6-4fda-95a8-c58e00a3954e"),
                "X-Gitlab-Instance", List.of("https://gitlab.example.com"), "Content-Type", List.of("application/json"));
    }
}
