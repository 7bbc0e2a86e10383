package io.ployer.plugin.bitbucket;

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

/** Bitbucket Cloud's pull request events (see resources/pullrequest/SOURCES.md) and its build status API. */
class BitbucketPullRequestTest {
    private final GitProvider provider = new BitbucketPlugin().gitProviderFactories().get(0).create(Map.of(), new PluginContext() {
    });

    private WebhookEvent parse(String resource, String eventKey) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/pullrequest/" + resource)) {
            return provider.parse(new WebhookRequest(in.readAllBytes(), Map.of("X-Event-Key", List.of(eventKey))));
        }
    }

    @Test
    void createdIsAPreviewOfTheSourceCommit() throws IOException {
        assertThat(parse("created.json", "pullrequest:created")).isEqualTo(new WebhookEvent.PullRequest(
                WebhookEvent.PullRequest.Action.OPENED, 1, "Title of pull request", "emmap1", "main", "branch2", "d3022fc0ca3d",
                List.of("https://api.bitbucket.org/team_name/repo_name"), List.of("https://api.bitbucket.org/team_name/repo_name"), false,
                "user_name/repo_name", "https://api.bitbucket.org/2.0"));
    }

    @Test
    void updatedUpdatesFulfilledAndRejectedEnd() throws IOException {
        WebhookEvent.PullRequest updated = (WebhookEvent.PullRequest) parse("updated.json", "pullrequest:updated");
        assertThat(updated.action()).isEqualTo(WebhookEvent.PullRequest.Action.UPDATED);
        assertThat(updated.headSha()).isEqualTo("a1b2c3d4e5f6");
        assertThat(((WebhookEvent.PullRequest) parse("fulfilled.json", "pullrequest:fulfilled")).action())
                .isEqualTo(WebhookEvent.PullRequest.Action.CLOSED);
        assertThat(((WebhookEvent.PullRequest) parse("rejected.json", "pullrequest:rejected")).action())
                .isEqualTo(WebhookEvent.PullRequest.Action.CLOSED);
        assertThat(parse("created.json", "pullrequest:approved")).isEqualTo(new WebhookEvent.Other("pullrequest:approved"));
    }

    @Test
    void aSourceInAnotherRepositoryIsAFork() throws IOException {
        WebhookEvent.PullRequest fork = (WebhookEvent.PullRequest) parse("created-from-fork.json", "pullrequest:created");
        assertThat(fork.fork()).isTrue();
        assertThat(fork.headCloneUrls()).containsExactly("https://bitbucket.org/forker/repo_name");
    }

    @Test
    void postsABuildStatusAsTheApiDocumentsIt() throws IOException {
        try (ForgeApiStub stub = new ForgeApiStub()) {
            CommitStatus status = new CommitStatus(stub.url("/2.0"), "user_name/repo_name", "d3022fc0ca3d", CommitStatus.State.SUCCESS,
                    "https://pr-1.app.example.com", "Preview ready", "ployer/preview", "bb-token");
            assertThat(ForgeApiStub.send(provider.commitStatusRequest(status).orElseThrow())).isEqualTo(201);
            ForgeApiStub.Received request = stub.take();
            assertThat(request.method()).isEqualTo("POST");
            assertThat(request.path()).isEqualTo("/2.0/repositories/user_name/repo_name/commit/d3022fc0ca3d/statuses/build");
            assertThat(request.headers()).containsEntry("authorization", "Bearer bb-token");
            JsonNode body = new ObjectMapper().readTree(request.body());
            assertThat(body.path("key").asText()).isEqualTo("ployer/preview");
            assertThat(body.path("state").asText()).isEqualTo("SUCCESSFUL");
            assertThat(body.path("url").asText()).isEqualTo("https://pr-1.app.example.com");
            assertThat(body.path("name").asText()).isEqualTo("Ployer preview");
            ForgeApiStub.send(provider.commitStatusRequest(new CommitStatus(stub.url("/2.0"), "user_name/repo_name", "d3022fc0ca3d",
                    CommitStatus.State.PENDING, null, "Deploying", "ployer/preview", "bb-token")).orElseThrow());
            JsonNode pending = new ObjectMapper().readTree(stub.take().body());
            assertThat(pending.path("state").asText()).isEqualTo("INPROGRESS");
            assertThat(pending.path("url").asText()).as("Bitbucket requires a url").isEqualTo("https://bitbucket.org/user_name/repo_name");
        }
    }
}
