package io.ployer.plugin.bitbucket;

import io.ployer.spi.PluginContext;
import io.ployer.spi.git.GitProvider;
import io.ployer.spi.git.WebhookSignatures;
import io.ployer.testkit.git.GitProviderCompatibilityKit;
import java.util.List;
import java.util.Map;

/** Bitbucket Cloud deliveries in Bitbucket's documented format. */
class BitbucketGitProviderTest extends GitProviderCompatibilityKit {
    static final String SHA = "709d658dc5b6d6afcd46049c2f332ee3f515a67d";

    @Override
    protected GitProvider provider() {
        return new BitbucketPlugin().gitProviderFactories().get(0).create(Map.of(), new PluginContext() {
        });
    }

    @Override
    protected Map<String, List<String>> signedHeaders(byte[] body, String secret, String kind) {
        return Map.of("X-Hub-Signature", List.of("sha256=" + WebhookSignatures.hmacSha256Hex(secret, body)),
                "X-Event-Key", List.of(kind.equals("ping") ? "diagnostics:ping" : "repo:push"),
                "X-Request-UUID", List.of("afe8ed2a-5c96-4b52-a41a-c51e2c3f44c8"));
    }

    @Override
    protected String signatureHeader() {
        return "X-Hub-Signature";
    }

    @Override
    protected String payload(String kind) {
        return switch (kind) {
            case "push" -> "{\"actor\":{\"display_name\":\"Emma\"},\"repository\":{\"full_name\":\"team/app\",\"links\":{\"html\":"
                    + "{\"href\":\"https://bitbucket.org/team/app\"}}},\"push\":{\"changes\":[{\"new\":{\"type\":\"branch\",\"name\":\"main\","
                    + "\"target\":{\"type\":\"commit\",\"hash\":\"" + SHA + "\",\"message\":\"Ship it\\n\",\"author\":{\"raw\":"
                    + "\"Emma <emma@example.com>\",\"user\":{\"display_name\":\"Emma\"}}}},\"old\":{\"type\":\"branch\",\"name\":\"main\"},"
                    + "\"created\":false,\"closed\":false}]}}";
            case "ping" -> "{\"message\":\"ping\"}";
            case "tag" -> "{\"push\":{\"changes\":[{\"new\":{\"type\":\"tag\",\"name\":\"release-7\",\"target\":{\"hash\":\"" + SHA
                    + "\"}},\"old\":null}]},\"repository\":{}}";
            case "delete" -> "{\"push\":{\"changes\":[{\"new\":null,\"old\":{\"type\":\"branch\",\"name\":\"hotfix\",\"target\":{\"hash\":\""
                    + SHA + "\"}},\"closed\":true}]},\"repository\":{}}";
            default -> null;
        };
    }

    @Override
    protected ExpectedPush expectedPush() {
        return new ExpectedPush("main", SHA, "Emma", "Ship it\n", "https://bitbucket.org/team/app");
    }

    @Override
    protected String expectedTag() {
        return "release-7";
    }

    @Override
    protected String expectedDeletedBranch() {
        return "hotfix";
    }
}
