package io.ployer.plugin.gitlab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ployer.spi.plugin.PluginContext;
import io.ployer.spi.git.CommitStatus;
import io.ployer.spi.git.GitProvider;
import io.ployer.spi.git.WebhookEvent;
import io.ployer.spi.git.WebhookRequest;
import io.ployer.testkit.git.ForgeApiStub;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** GitLab's documented Merge Request Hook (see resources/merge_request/SOURCES.md) and its commit status API. */
class GitLabMergeRequestTest {
    private final GitProvider provider = new GitLabPlugin().gitProviderFactories().get(0).create(Map.of(), new PluginContext() {
    });

    private WebhookEvent.PullRequest parse(String resource) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/merge_request/" + resource)) {
            return (WebhookEvent.PullRequest) provider.parse(new WebhookRequest(in.readAllBytes(),
                    Map.of("X-Gitlab-Event", List.of("Merge Request Hook"))));
        }
    }

    @Test
    void openIsAPreviewOfTheLastCommit() throws IOException {
        assertThat(parse("open.json")).isEqualTo(new WebhookEvent.PullRequest(WebhookEvent.PullRequest.Action.OPENED, 1, "MS-Viewport",
                "Administrator", "master", "ms-viewport", "da1560886d4f094c3e6c9ef40349f7d38b5d27d7",
                List.of("http://example.com/gitlabhq/gitlab-test.git", "git@example.com:gitlabhq/gitlab-test.git",
                        "http://example.com/gitlabhq/gitlab-test", "http://example.com/awesome_space/awesome_project.git",
                        "git@example.com:awesome_space/awesome_project.git", "http://example.com/awesome_space/awesome_project"),
                List.of("http://example.com/awesome_space/awesome_project.git", "git@example.com:awesome_space/awesome_project.git"),
                false, "1", "http://example.com/api/v4"));
    }

    @Test
    void updateWithNewCommitsUpdatesAndMergeEnds() throws IOException {
        WebhookEvent.PullRequest update = parse("update.json");
        assertThat(update.action()).isEqualTo(WebhookEvent.PullRequest.Action.UPDATED);
        assertThat(update.headSha()).isEqualTo("0c3d4e5f60718293a4b5c6d7e8f9012345678901");
        assertThat(parse("merge.json").action()).isEqualTo(WebhookEvent.PullRequest.Action.CLOSED);
    }

    @Test
    void approvalsAreOtherEvents() {
        WebhookEvent event = provider.parse(new WebhookRequest("{\"object_attributes\":{\"action\":\"approved\"}}".getBytes(),
                Map.of("X-Gitlab-Event", List.of("Merge Request Hook"))));
        assertThat(event).isEqualTo(new WebhookEvent.Other("merge_request approved"));
    }

    @Test
    void theApiOfAnInstanceUnderAPathKeepsThePath() {
        assertThat(GitLabGitProvider.apiUrl("https://example.com/gitlab/group/app", "group/app")).isEqualTo("https://example.com/gitlab/api/v4");
    }

    @Test
    void postsACommitStatusAsTheApiDocumentsIt() throws IOException {
        try (ForgeApiStub stub = new ForgeApiStub()) {
            CommitStatus status = new CommitStatus(stub.url("/api/v4"), "1", "da1560886d4f094c3e6c9ef40349f7d38b5d27d7",
                    CommitStatus.State.PENDING, null, "Deploying the preview", "ployer/preview", "glpat-token");
            assertThat(ForgeApiStub.send(provider.commitStatusRequest(status).orElseThrow())).isEqualTo(201);
            ForgeApiStub.Received request = stub.take();
            assertThat(request.method()).isEqualTo("POST");
            assertThat(request.path()).isEqualTo("/api/v4/projects/1/statuses/da1560886d4f094c3e6c9ef40349f7d38b5d27d7");
            assertThat(request.headers()).containsEntry("private-token", "glpat-token").containsEntry("content-type", "application/json");
            JsonNode body = new ObjectMapper().readTree(request.body());
            assertThat(body.path("state").asText()).isEqualTo("running");
            assertThat(body.path("name").asText()).isEqualTo("ployer/preview");
            assertThat(body.has("target_url")).isFalse();
            CommitStatus failed = new CommitStatus(stub.url("/api/v4"), "group/app", "da15608", CommitStatus.State.FAILURE,
                    "https://pr-1.app.example.com", "failed", "ployer/preview", "glpat-token");
            ForgeApiStub.send(provider.commitStatusRequest(failed).orElseThrow());
            ForgeApiStub.Received second = stub.take();
            assertThat(second.path()).isEqualTo("/api/v4/projects/group%2Fapp/statuses/da15608");
            assertThat(new ObjectMapper().readTree(second.body()).path("state").asText()).isEqualTo("failed");
        }
    }
}
