package io.ployer.plugin.gitea;

import static org.assertj.core.api.Assertions.assertThat;

import io.ployer.spi.plugin.PluginContext;
import io.ployer.spi.git.GitProvider;
import io.ployer.spi.git.Verification;
import io.ployer.spi.git.WebhookEvent;
import io.ployer.spi.git.WebhookRequest;
import io.ployer.spi.git.WebhookSignatures;
import io.ployer.testkit.git.GitProviderCompatibilityKit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Forgejo deliveries: Gitea's payloads with X-Forgejo-* headers, through the same {@code gitea} provider. */
class ForgejoGitProviderTest extends GitProviderCompatibilityKit {
    private final GiteaGitProviderTest gitea = new GiteaGitProviderTest();

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
        return Map.of("X-Forgejo-Signature", List.of(WebhookSignatures.hmacSha256Hex(secret, body)),
                "X-Forgejo-Event", List.of(eventKind.equals(DELETE) ? "delete" : "push"),
                "X-Forgejo-Delivery", List.of(GiteaGitProviderTest.DELIVERY));
    }

    @Override
    protected String signatureHeader() {
        return "X-Forgejo-Signature";
    }

    @Override
    protected WebhookEvent expectedEvent(String eventKind) {
        return gitea.expectedEvent(eventKind);
    }

    @Test
    void aGoodGiteaSignatureDoesNotRescueABadForgejoOne() {
        byte[] body = payload(PUSH);
        String good = WebhookSignatures.hmacSha256Hex(SECRET, body);
        Map<String, List<String>> headers = Map.of("X-Forgejo-Signature", List.of("0".repeat(64)), "X-Gitea-Signature", List.of(good),
                "X-Forgejo-Event", List.of("push"));
        assertThat(provider().verify(new WebhookRequest(body, headers), SECRET)).isInstanceOf(Verification.Rejected.class);
    }
}
