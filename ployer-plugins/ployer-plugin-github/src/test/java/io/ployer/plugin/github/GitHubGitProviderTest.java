package io.ployer.plugin.github;

import static org.assertj.core.api.Assertions.assertThat;

import io.ployer.spi.plugin.PluginContext;
import io.ployer.spi.git.GitProvider;
import io.ployer.spi.git.Verification;
import io.ployer.spi.git.WebhookEvent;
import io.ployer.spi.git.WebhookRequest;
import io.ployer.spi.git.WebhookSignatures;
import io.ployer.testkit.git.GitProviderCompatibilityKit;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** GitHub deliveries in GitHub's documented format, signed as GitHub signs them. */
class GitHubGitProviderTest extends GitProviderCompatibilityKit {
    private static final String SHA = "6dcb09b5b57875f334f61aebed695e2e4193db5e";
    private static final String DELIVERY = "72d3162e-cc78-11e3-81ab-4c9367dc0958";

    @Override
    protected GitProvider provider() {
        return new GitHubPlugin().gitProviderFactories().get(0).create(Map.of(), new PluginContext() {
        });
    }

    @Override
    protected Map<String, List<String>> signedHeaders(byte[] body, String secret, String eventKind) {
        return headers(body, secret, eventKind.equals(PING) ? "ping" : "push");
    }

    @Override
    protected String signatureHeader() {
        return "X-Hub-Signature-256";
    }

    @Override
    protected WebhookEvent expectedEvent(String eventKind) {
        return switch (eventKind) {
            case PUSH -> new WebhookEvent.Push("main", SHA, "Monalisa Octocat", "Fix the login page\n\nThe form posted to the old endpoint.",
                    null, List.of("https://github.com/octocat/hello-world.git", "git@github.com:octocat/hello-world.git",
                    "git://github.com/octocat/hello-world.git", "https://github.com/octocat/hello-world"));
            case TAG -> new WebhookEvent.TagPush("v1.2.0", SHA);
            case DELETE -> new WebhookEvent.BranchDeleted("feature-x");
            default -> new WebhookEvent.Ping();
        };
    }

    @Test
    void ignoresTheLegacySha1SignatureHeader() {
        byte[] body = payload(PUSH);
        Map<String, List<String>> headers = Map.of("X-Hub-Signature", List.of("sha1=" + "0".repeat(40)), "X-GitHub-Event", List.of("push"));
        assertThat(provider().verify(new WebhookRequest(body, headers), SECRET)).isInstanceOfSatisfying(Verification.Rejected.class,
                rejected -> assertThat(rejected.reason()).isEqualTo("missing X-Hub-Signature-256 header"));
    }

    @Test
    void reportsOtherEventsAndTagDeletionsAsOther() {
        byte[] issue = "{\"action\":\"opened\",\"issue\":{\"number\":1}}".getBytes(StandardCharsets.UTF_8);
        assertThat(provider().parse(new WebhookRequest(issue, headers(issue, SECRET, "issues")))).isEqualTo(new WebhookEvent.Other("issues"));
        byte[] tagDeleted = ("{\"ref\":\"refs/tags/v1.2.0\",\"before\":\"" + SHA + "\",\"after\":\"0000000000000000000000000000000000000000\","
                + "\"deleted\":true,\"head_commit\":null}").getBytes(StandardCharsets.UTF_8);
        assertThat(provider().parse(new WebhookRequest(tagDeleted, headers(tagDeleted, SECRET, "push"))))
                .isEqualTo(new WebhookEvent.Other("tag deletion"));
    }

    private static Map<String, List<String>> headers(byte[] body, String secret, String event) {
        return Map.of("X-Hub-Signature-256", List.of("sha256=" + WebhookSignatures.hmacSha256Hex(secret, body)),
                "X-GitHub-Event", List.of(event), "X-GitHub-Delivery", List.of(DELIVERY),
                "X-GitHub-Hook-ID", List.of("479143283"), "Content-Type", List.of("application/json"),
                "User-Agent", List.of("GitHub-Hookshot/044aadd"));
    }
}
