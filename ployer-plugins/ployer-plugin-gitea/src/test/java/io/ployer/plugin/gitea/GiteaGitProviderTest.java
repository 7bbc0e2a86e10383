package io.ployer.plugin.gitea;

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

/** Gitea deliveries in Gitea's documented format, signed as Gitea signs them (hex, no prefix). */
class GiteaGitProviderTest extends GitProviderCompatibilityKit {
    static final String SHA = "bffeb74224043ba2feb48d137756c8a9331c449a";
    static final String DELIVERY = "f6266f16-1bf3-46a5-9ea4-602e06ead473";

    @Override
    protected GitProvider provider() {
        return new GiteaPlugin().gitProviderFactories().get(0).create(Map.of(), new PluginContext() {
        });
    }

    @Override
    protected boolean sendsPings() {
        return false;
    }

    @Override
    protected Map<String, List<String>> signedHeaders(byte[] body, String secret, String eventKind) {
        String event = eventKind.equals(DELETE) ? "delete" : "push";
        // Gitea also sends X-GitHub-* and X-Gogs-* copies for compatibility.
        return Map.of("X-Gitea-Signature", List.of(WebhookSignatures.hmacSha256Hex(secret, body)),
                "X-Gitea-Event", List.of(event), "X-Gitea-Delivery", List.of(DELIVERY),
                "X-GitHub-Event", List.of(event), "X-GitHub-Delivery", List.of(DELIVERY),
                "X-Gogs-Event", List.of(event), "X-Gogs-Delivery", List.of(DELIVERY));
    }

    @Override
    protected String signatureHeader() {
        return "X-Gitea-Signature";
    }

    @Override
    protected WebhookEvent expectedEvent(String eventKind) {
        return switch (eventKind) {
            case PUSH -> new WebhookEvent.Push("develop", SHA, "Gitea", "Webhooks Yay!", null,
                    List.of("http://localhost:3000/gitea/webhooks.git", "ssh://gitea@localhost:2222/gitea/webhooks.git",
                            "http://localhost:3000/gitea/webhooks"));
            case TAG -> new WebhookEvent.TagPush("v2.0", SHA);
            default -> new WebhookEvent.BranchDeleted("stale-branch");
        };
    }

    @Test
    void readsAPushToAllZerosAsABranchDeletion() {
        byte[] body = ("{\"ref\":\"refs/heads/stale-branch\",\"before\":\"" + SHA + "\",\"after\":\"0000000000000000000000000000000000000000\","
                + "\"commits\":[],\"head_commit\":null,\"repository\":{}}").getBytes(StandardCharsets.UTF_8);
        WebhookRequest request = new WebhookRequest(body, signedHeaders(body, SECRET, PUSH));
        assertThat(provider().parse(request)).isEqualTo(new WebhookEvent.BranchDeleted("stale-branch"));
    }

    @Test
    void reportsATagDeletionAsOther() {
        byte[] body = "{\"ref\":\"v2.0\",\"ref_type\":\"tag\",\"pusher_type\":\"user\",\"repository\":{}}".getBytes(StandardCharsets.UTF_8);
        WebhookRequest request = new WebhookRequest(body, signedHeaders(body, SECRET, DELETE));
        assertThat(provider().parse(request)).isEqualTo(new WebhookEvent.Other("tag deletion"));
    }
}
