package io.ployer.plugin.bitbucket;

import static org.assertj.core.api.Assertions.assertThat;

import io.ployer.spi.plugin.PluginContext;
import io.ployer.spi.git.GitProvider;
import io.ployer.spi.git.WebhookEvent;
import io.ployer.spi.git.WebhookRequest;
import io.ployer.spi.git.WebhookSignatures;
import io.ployer.testkit.git.GitProviderCompatibilityKit;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bitbucket Cloud deliveries in Bitbucket's documented format, signed as Bitbucket signs them. */
class BitbucketGitProviderTest extends GitProviderCompatibilityKit {
    private static final String SHA = "709d658dc5b6d6afcd46049c2f332ee3f515a67d";
    private static final String REQUEST = "afe8ed2a-5c96-4b52-a41a-c51e2c3f44c8";
    private static final String HOOK = "{2e6a5c51-4d0b-4bb4-b9d5-0e3c1f0b9a7e}";

    @Override
    protected GitProvider provider() {
        return new BitbucketPlugin().gitProviderFactories().get(0).create(Map.of(), new PluginContext() {
        });
    }

    @Override
    protected Map<String, List<String>> signedHeaders(byte[] body, String secret, String eventKind) {
        return headers(body, secret, eventKind.equals(PING) ? "diagnostics:ping" : "repo:push", REQUEST);
    }

    @Override
    protected String signatureHeader() {
        return "X-Hub-Signature";
    }

    @Override
    protected WebhookEvent expectedEvent(String eventKind) {
        return switch (eventKind) {
            case PUSH -> new WebhookEvent.Push("main", SHA, "Emma Paris", "Ship the new pricing page\n", null, List.of("https://bitbucket.org/team/app"));
            case TAG -> new WebhookEvent.TagPush("release-7", SHA);
            case DELETE -> new WebhookEvent.BranchDeleted("hotfix");
            default -> new WebhookEvent.Ping();
        };
    }

    @Test
    void tellsDeliveriesOfOneWebhookApartByTheRequestUuidNotTheHookUuid() {
        byte[] body = payload(PUSH);
        WebhookRequest first = new WebhookRequest(body, headers(body, SECRET, "repo:push", REQUEST));
        WebhookRequest second = new WebhookRequest(body, headers(body, SECRET, "repo:push", "0b8c7e4e-55a1-4f0e-8b37-6d2b1e9f3c11"));
        assertThat(provider().deliveryId(first)).isNotEqualTo(provider().deliveryId(second));
        WebhookRequest withoutRequestUuid = new WebhookRequest(body, Map.of("X-Hook-UUID", List.of(HOOK)));
        assertThat(provider().deliveryId(withoutRequestUuid)).isEmpty();
    }

    @Test
    void reportsOtherEventKeysAsOther() {
        byte[] body = "{\"pullrequest\":{\"id\":1},\"repository\":{}}".getBytes(StandardCharsets.UTF_8);
        // pullrequest:created/updated/fulfilled/rejected are pull requests (previews); approvals and comments are not
        WebhookRequest request = new WebhookRequest(body, headers(body, SECRET, "pullrequest:approved", REQUEST));
        assertThat(provider().parse(request)).isEqualTo(new WebhookEvent.Other("pullrequest:approved"));
    }

    @Test
    void reportsEveryChangeOfOnePushInItsOrder() {
        // One push updating main, creating feature and pushing a tag: Bitbucket lists all three in push.changes.
        byte[] body = payload("push-several-changes");
        WebhookRequest request = new WebhookRequest(body, headers(body, SECRET, "repo:push", REQUEST));
        List<String> repository = List.of("https://bitbucket.org/team/app");
        assertThat(provider().parseAll(request)).containsExactly(
                new WebhookEvent.Push("main", SHA, "Emma Paris", "Ship the new pricing page\n", null, repository),
                new WebhookEvent.Push("feature", "4c8b2c3a6d0f0e5b9a1d2c3e4f5a6b7c8d9e0f1a", "Emma Paris", "Start the feature\n", null,
                        repository),
                new WebhookEvent.TagPush("v1.2.0", SHA));
        assertThat(provider().parse(request)).isEqualTo(provider().parseAll(request).get(0));
    }

    private static Map<String, List<String>> headers(byte[] body, String secret, String eventKey, String requestUuid) {
        return Map.of("X-Hub-Signature", List.of("sha256=" + WebhookSignatures.hmacSha256Hex(secret, body)),
                "X-Event-Key", List.of(eventKey), "X-Request-UUID", List.of(requestUuid), "X-Hook-UUID", List.of(HOOK),
                "X-Attempt-Number", List.of("1"), "Content-Type", List.of("application/json"), "User-Agent", List.of("Bitbucket-Webhooks/2.0"));
    }
}
