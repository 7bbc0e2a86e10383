package io.ployer.plugin.generic;

import static org.assertj.core.api.Assertions.assertThat;

import io.ployer.spi.plugin.PluginContext;
import io.ployer.spi.git.GitProvider;
import io.ployer.spi.git.Verification;
import io.ployer.spi.git.WebhookEvent;
import io.ployer.spi.git.WebhookRequest;
import io.ployer.testkit.git.GitProviderCompatibilityKit;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The generic provider any CI can call with the shared token and a small JSON body. */
class GenericGitProviderTest extends GitProviderCompatibilityKit {
    private static final String SHA = "0123456789abcdef0123456789abcdef01234567";

    @Override
    protected GitProvider provider() {
        return new GenericPlugin().gitProviderFactories().get(0).create(Map.of(), new PluginContext() {
        });
    }

    @Override
    protected boolean signsTheBody() {
        return false;
    }

    @Override
    protected boolean sendsTagPushes() {
        return false;
    }

    @Override
    protected boolean sendsBranchDeletions() {
        return false;
    }

    @Override
    protected Map<String, List<String>> signedHeaders(byte[] body, String secret, String eventKind) {
        return Map.of("X-Ployer-Token", List.of(secret), "X-Ployer-Event", List.of(eventKind.equals(PING) ? "ping" : "push"),
                "X-Ployer-Delivery", List.of("ci-run-4711"), "Content-Type", List.of("application/json"));
    }

    @Override
    protected String signatureHeader() {
        return "X-Ployer-Token";
    }

    @Override
    protected WebhookEvent expectedEvent(String eventKind) {
        return eventKind.equals(PUSH)
                ? new WebhookEvent.Push("main", SHA, "CI", "Build 4711: release candidate", "https://git.example.com/shop/app.git")
                : new WebhookEvent.Ping();
    }

    @Test
    void acceptsTheTokenAsABearerAuthorization() {
        WebhookRequest request = new WebhookRequest(payload(PUSH), Map.of("Authorization", List.of("Bearer " + SECRET)));
        assertThat(provider().verify(request, SECRET)).isInstanceOf(Verification.Verified.class);
        WebhookRequest basic = new WebhookRequest(payload(PUSH), Map.of("Authorization", List.of("Basic " + SECRET)));
        assertThat(provider().verify(basic, SECRET)).isInstanceOf(Verification.Rejected.class);
    }

    @Test
    void needsOnlyBranchAndCommitAndHasNoDeliveryIdWithoutTheHeader() {
        byte[] body = ("{\"branch\":\"main\",\"commit_sha\":\"" + SHA + "\"}").getBytes(StandardCharsets.UTF_8);
        WebhookRequest request = new WebhookRequest(body, Map.of("X-Ployer-Token", List.of(SECRET)));
        assertThat(provider().parse(request)).isEqualTo(new WebhookEvent.Push("main", SHA, null, null, null));
        assertThat(provider().deliveryId(request)).isEmpty();
    }
}
