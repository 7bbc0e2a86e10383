package io.ployer.plugin.github;

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

/** GitHub's published pull_request payloads (see resources/pull_request/SOURCES.md) and its statuses API. */
class GitHubPullRequestTest {
    private final GitProvider provider = new GitHubPlugin().gitProviderFactories().get(0).create(Map.of(), new PluginContext() {
    });

    private WebhookEvent parse(String resource) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/pull_request/" + resource)) {
            return provider.parse(new WebhookRequest(in.readAllBytes(), Map.of("X-GitHub-Event", List.of("pull_request"))));
        }
    }

    @Test
    void openedIsAPreviewOfTheHeadCommit() throws IOException {
        assertThat(parse("opened.json")).isEqualTo(new WebhookEvent.PullRequest(WebhookEvent.PullRequest.Action.OPENED, 2,
                "Update the README with new information.", "Codertocat", "master", "changes", "ec26c3e57ca3a959ca5aad62de7213c562f8c821",
                List.of("https://github.com/Codertocat/Hello-World.git", "git@github.com:Codertocat/Hello-World.git",
                        "git://github.com/Codertocat/Hello-World.git", "https://github.com/Codertocat/Hello-World",
                        "https://api.github.com/repos/Codertocat/Hello-World"),
                List.of("https://github.com/Codertocat/Hello-World.git", "git@github.com:Codertocat/Hello-World.git"), false,
                "Codertocat/Hello-World", "https://api.github.com"));
    }

    @Test
    void synchronizeUpdatesAndClosedEnds() throws IOException {
        WebhookEvent.PullRequest synchronize = (WebhookEvent.PullRequest) parse("synchronize.json");
        assertThat(synchronize.action()).isEqualTo(WebhookEvent.PullRequest.Action.UPDATED);
        assertThat(synchronize.headSha()).isEqualTo("34c5c7793cb3b279e22454cb6750c80560547b3a");
        assertThat(((WebhookEvent.PullRequest) parse("closed.json")).action()).isEqualTo(WebhookEvent.PullRequest.Action.CLOSED);
    }

    @Test
    void aHeadInAnotherRepositoryIsAFork() throws IOException {
        WebhookEvent.PullRequest fork = (WebhookEvent.PullRequest) parse("opened-from-fork.json");
        assertThat(fork.fork()).isTrue();
        assertThat(fork.headCloneUrls()).containsExactly("https://github.com/Octocat/Hello-World.git", "git@github.com:Octocat/Hello-World.git");
    }

    @Test
    void otherActionsAreOtherEvents() {
        WebhookEvent event = provider.parse(new WebhookRequest("{\"action\":\"labeled\",\"number\":2}".getBytes(),
                Map.of("X-GitHub-Event", List.of("pull_request"))));
        assertThat(event).isEqualTo(new WebhookEvent.Other("pull_request labeled"));
    }

    @Test
    void enterpriseApiUrlsKeepTheirPrefix() {
        assertThat(GitHubGitProvider.apiUrl("https://ghe.example.com/api/v3/repos/o/r", "o/r")).isEqualTo("https://ghe.example.com/api/v3");
    }

    @Test
    void postsAStatusAsTheStatusesApiDocumentsIt() throws IOException {
        try (ForgeApiStub stub = new ForgeApiStub()) {
            CommitStatus status = new CommitStatus(stub.url(""), "Codertocat/Hello-World", "ec26c3e57ca3a959ca5aad62de7213c562f8c821",
                    CommitStatus.State.SUCCESS, "https://pr-2.app.example.com", "Preview ready", "ployer/preview", "ghp_token");
            assertThat(ForgeApiStub.send(provider.commitStatusRequest(status).orElseThrow())).isEqualTo(201);
            ForgeApiStub.Received request = stub.take();
            assertThat(request.method()).isEqualTo("POST");
            assertThat(request.path()).isEqualTo("/repos/Codertocat/Hello-World/statuses/ec26c3e57ca3a959ca5aad62de7213c562f8c821");
            assertThat(request.headers()).containsEntry("authorization", "Bearer ghp_token")
                    .containsEntry("accept", "application/vnd.github+json").containsEntry("x-github-api-version", "2022-11-28");
            JsonNode body = new ObjectMapper().readTree(request.body());
            assertThat(body.path("state").asText()).isEqualTo("success");
            assertThat(body.path("target_url").asText()).isEqualTo("https://pr-2.app.example.com");
            assertThat(body.path("description").asText()).isEqualTo("Preview ready");
            assertThat(body.path("context").asText()).isEqualTo("ployer/preview");
        }
    }
}
