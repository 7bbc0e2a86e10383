package io.ployer.plugin.gitea;

import io.ployer.spi.PluginContext;
import io.ployer.spi.git.GitProvider;
import io.ployer.spi.git.WebhookSignatures;
import io.ployer.testkit.git.GitProviderCompatibilityKit;
import java.util.List;
import java.util.Map;

/** Gitea deliveries in Gitea's documented format (Forgejo sends the same with X-Forgejo-* headers). */
class GiteaGitProviderTest extends GitProviderCompatibilityKit {
    static final String SHA = "bffeb74224043ba2feb48d137756c8a9331c449a";

    @Override
    protected GitProvider provider() {
        return new GiteaPlugin().gitProviderFactories().get(0).create(Map.of(), new PluginContext() {
        });
    }

    @Override
    protected Map<String, List<String>> signedHeaders(byte[] body, String secret, String kind) {
        return Map.of("X-Gitea-Signature", List.of(WebhookSignatures.hmacSha256Hex(secret, body)),
                "X-Gitea-Event", List.of(kind.equals("delete") ? "delete" : "push"), "X-Gitea-Delivery",
                List.of("f6266f16-1bf3-46a5-9ea4-602e06ead473"));
    }

    @Override
    protected String signatureHeader() {
        return "X-Gitea-Signature";
    }

    @Override
    protected String payload(String kind) {
        return switch (kind) {
            case "push" -> "{\"ref\":\"refs/heads/develop\",\"before\":\"28e1879d029cb852e4844d9c718537df08844e03\",\"after\":\"" + SHA
                    + "\",\"commits\":[{\"id\":\"" + SHA + "\",\"message\":\"Add site\",\"author\":{\"name\":\"Gitea\"}}],"
                    + "\"head_commit\":{\"id\":\"" + SHA + "\",\"message\":\"Add site\",\"author\":{\"name\":\"Gitea\"}},"
                    + "\"repository\":{\"full_name\":\"gitea/webhooks\",\"clone_url\":\"http://localhost:3000/gitea/webhooks.git\"}}";
            case "tag" -> "{\"ref\":\"refs/tags/2.0\",\"after\":\"" + SHA + "\",\"commits\":[],\"repository\":{}}";
            case "delete" -> "{\"ref\":\"stale\",\"ref_type\":\"branch\",\"pusher_type\":\"user\",\"repository\":{}}";
            default -> null;
        };
    }

    @Override
    protected ExpectedPush expectedPush() {
        return new ExpectedPush("develop", SHA, "Gitea", "Add site", "http://localhost:3000/gitea/webhooks.git");
    }

    @Override
    protected String expectedTag() {
        return "2.0";
    }

    @Override
    protected String expectedDeletedBranch() {
        return "stale";
    }
}
