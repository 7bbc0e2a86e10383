package io.ployer.plugin.github;

import io.ployer.spi.PluginContext;
import io.ployer.spi.git.GitProvider;
import io.ployer.spi.git.WebhookSignatures;
import io.ployer.testkit.git.GitProviderCompatibilityKit;
import java.util.List;
import java.util.Map;

/** GitHub deliveries in GitHub's documented format, signed with the real algorithm. */
class GitHubGitProviderTest extends GitProviderCompatibilityKit {
    static final String SHA = "6dcb09b5b57875f334f61aebed695e2e4193db5e";

    @Override
    protected GitProvider provider() {
        return new GitHubPlugin().gitProviderFactories().get(0).create(Map.of(), new PluginContext() {
        });
    }

    @Override
    protected Map<String, List<String>> signedHeaders(byte[] body, String secret, String kind) {
        String event = kind.equals("ping") ? "ping" : "push";
        return Map.of("X-Hub-Signature-256", List.of("sha256=" + WebhookSignatures.hmacSha256Hex(secret, body)),
                "X-GitHub-Event", List.of(event), "X-GitHub-Delivery", List.of("72d3162e-cc78-11e3-81ab-4c9367dc0958"),
                "Content-Type", List.of("application/json"));
    }

    @Override
    protected String signatureHeader() {
        return "X-Hub-Signature-256";
    }

    @Override
    protected String payload(String kind) {
        return switch (kind) {
            case "push" -> "{\"ref\":\"refs/heads/main\",\"before\":\"0000000000000000000000000000000000000001\",\"after\":\"" + SHA
                    + "\",\"created\":false,\"deleted\":false,\"forced\":false,\"head_commit\":{\"id\":\"" + SHA
                    + "\",\"message\":\"Fix the login page\",\"author\":{\"name\":\"Monalisa Octocat\",\"email\":\"mona@example.com\"}},"
                    + "\"repository\":{\"full_name\":\"octo/hello\",\"clone_url\":\"https://github.com/octo/hello.git\"},"
                    + "\"pusher\":{\"name\":\"mona\"}}";
            case "ping" -> "{\"zen\":\"Design for failure.\",\"hook_id\":12345,\"hook\":{\"type\":\"Repository\",\"events\":[\"push\"]}}";
            case "tag" -> "{\"ref\":\"refs/tags/v1.2.0\",\"after\":\"" + SHA + "\",\"deleted\":false,\"head_commit\":null,"
                    + "\"repository\":{\"clone_url\":\"https://github.com/octo/hello.git\"}}";
            case "delete" -> "{\"ref\":\"refs/heads/feature-x\",\"before\":\"" + SHA + "\",\"after\":\"0000000000000000000000000000000000000000\","
                    + "\"deleted\":true,\"head_commit\":null,\"repository\":{\"clone_url\":\"https://github.com/octo/hello.git\"}}";
            default -> null;
        };
    }

    @Override
    protected ExpectedPush expectedPush() {
        return new ExpectedPush("main", SHA, "Monalisa Octocat", "Fix the login page", "https://github.com/octo/hello.git");
    }

    @Override
    protected String expectedTag() {
        return "v1.2.0";
    }

    @Override
    protected String expectedDeletedBranch() {
        return "feature-x";
    }
}
