package io.ployer.plugin.generic;

import io.ployer.spi.PluginContext;
import io.ployer.spi.git.GitProvider;
import io.ployer.testkit.git.GitProviderCompatibilityKit;
import java.util.List;
import java.util.Map;

/** The generic provider any CI can call with a shared token. */
class GenericGitProviderTest extends GitProviderCompatibilityKit {
    static final String SHA = "0123456789abcdef0123456789abcdef01234567";

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
    protected Map<String, List<String>> signedHeaders(byte[] body, String secret, String kind) {
        return Map.of("X-Ployer-Token", List.of(secret), "X-Ployer-Event", List.of(kind.equals("ping") ? "ping" : "push"),
                "X-Ployer-Delivery", List.of("ci-run-4711"));
    }

    @Override
    protected String signatureHeader() {
        return "X-Ployer-Token";
    }

    @Override
    protected String payload(String kind) {
        return switch (kind) {
            case "push" -> "{\"branch\":\"main\",\"commit_sha\":\"" + SHA + "\",\"message\":\"Build 4711\",\"author\":\"CI\","
                    + "\"repository_url\":\"https://git.example.com/app.git\"}";
            case "ping" -> "{}";
            default -> null;
        };
    }

    @Override
    protected ExpectedPush expectedPush() {
        return new ExpectedPush("main", SHA, "CI", "Build 4711", "https://git.example.com/app.git");
    }

    @Override
    protected String expectedTag() {
        return null;
    }

    @Override
    protected String expectedDeletedBranch() {
        return null;
    }
}
