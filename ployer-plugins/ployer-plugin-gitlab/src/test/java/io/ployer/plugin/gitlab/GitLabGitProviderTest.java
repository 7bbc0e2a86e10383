package io.ployer.plugin.gitlab;

import io.ployer.spi.PluginContext;
import io.ployer.spi.git.GitProvider;
import io.ployer.testkit.git.GitProviderCompatibilityKit;
import java.util.List;
import java.util.Map;

/** GitLab deliveries in GitLab's documented format; GitLab sends the token itself, not a signature. */
class GitLabGitProviderTest extends GitProviderCompatibilityKit {
    static final String SHA = "da1560886d4f094c3e6c9ef40349f7d38b5d27d7";

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
    protected Map<String, List<String>> signedHeaders(byte[] body, String secret, String kind) {
        String event = kind.equals("tag") ? "Tag Push Hook" : "Push Hook";
        return Map.of("X-Gitlab-Token", List.of(secret), "X-Gitlab-Event", List.of(event),
                "Idempotency-Key", List.of("b8f0a3f1-3f4a-4b9e-9c1d-1c2a3b4c5d6e"));
    }

    @Override
    protected String signatureHeader() {
        return "X-Gitlab-Token";
    }

    @Override
    protected String payload(String kind) {
        return switch (kind) {
            case "push" -> "{\"object_kind\":\"push\",\"before\":\"95790bf891e76fee5e1747ab589903a6a1f80f22\",\"after\":\"" + SHA
                    + "\",\"ref\":\"refs/heads/main\",\"checkout_sha\":\"" + SHA + "\",\"user_name\":\"John Smith\","
                    + "\"project\":{\"name\":\"Diaspora\",\"git_http_url\":\"https://gitlab.example.com/mike/diaspora.git\"},"
                    + "\"commits\":[{\"id\":\"b6568db1bc1dcd7f8b4d5a946b0b91f9dacd7327\",\"message\":\"Update Catalan translation\","
                    + "\"author\":{\"name\":\"Jordi Mallach\"}},{\"id\":\"" + SHA + "\",\"message\":\"fixed readme\","
                    + "\"author\":{\"name\":\"GitLab dev user\"}}],\"total_commits_count\":2}";
            case "tag" -> "{\"object_kind\":\"tag_push\",\"before\":\"0000000000000000000000000000000000000000\",\"after\":\"" + SHA
                    + "\",\"ref\":\"refs/tags/v1.0.0\",\"checkout_sha\":\"" + SHA + "\",\"project\":{}}";
            case "delete" -> "{\"object_kind\":\"push\",\"before\":\"" + SHA + "\",\"after\":\"0000000000000000000000000000000000000000\","
                    + "\"ref\":\"refs/heads/old-feature\",\"checkout_sha\":null,\"commits\":[],\"project\":{}}";
            default -> null;
        };
    }

    @Override
    protected ExpectedPush expectedPush() {
        return new ExpectedPush("main", SHA, "GitLab dev user", "fixed readme", "https://gitlab.example.com/mike/diaspora.git");
    }

    @Override
    protected String expectedTag() {
        return "v1.0.0";
    }

    @Override
    protected String expectedDeletedBranch() {
        return "old-feature";
    }
}
