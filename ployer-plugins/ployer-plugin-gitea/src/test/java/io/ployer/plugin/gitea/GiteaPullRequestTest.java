package io.ployer.plugin.gitea;

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

/** Gitea's pull_request payloads (see resources/pull_request/SOURCES.md) and its statuses API. */
class GiteaPullRequestTest {
    private final GitProvider provider = new GiteaPlugin().gitProviderFactories().get(0).create(Map.of(), new PluginContext() {
    });

    private WebhookEvent.PullRequest parse(String resource, String header) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/pull_request/" + resource)) {
            return (WebhookEvent.PullRequest) provider.parse(new WebhookRequest(in.readAllBytes(), Map.of(header, List.of("pull_request"))));
        }
    }

    @Test
    void openedIsAPreviewOfTheHeadCommit() throws IOException {
        assertThat(parse("opened.json", "X-Gitea-Event")).isEqualTo(new WebhookEvent.PullRequest(WebhookEvent.PullRequest.Action.OPENED, 1,
                "Update the README with new information", "gordon", "master", "feature/changes", "0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c",
                List.of("https://gitea.golang.org/gordon/hello-world.git", "http://gitea.golang.org/gordon/hello-world"), List.of(), false,
                "gordon/hello-world", "http://gitea.golang.org/api/v1"));
    }

    @Test
    void synchronizedUpdatesClosedEndsAndForgejoSendsTheSame() throws IOException {
        WebhookEvent.PullRequest update = parse("synchronized.json", "X-Forgejo-Event");
        assertThat(update.action()).isEqualTo(WebhookEvent.PullRequest.Action.UPDATED);
        assertThat(update.headSha()).isEqualTo("5f0a1b2c3d4e5f60718293a4b5c6d7e8f9012345");
        assertThat(parse("closed.json", "X-Gitea-Event").action()).isEqualTo(WebhookEvent.PullRequest.Action.CLOSED);
    }

    @Test
    void aHeadInAnotherRepositoryIsAFork() throws IOException {
        WebhookEvent.PullRequest fork = parse("opened-from-fork.json", "X-Gitea-Event");
        assertThat(fork.fork()).isTrue();
        assertThat(fork.headCloneUrls()).containsExactly("https://gitea.golang.org/forker/hello-world.git");
    }

    @Test
    void postsAStatusAsTheStatusesApiDocumentsIt() throws IOException {
        try (ForgeApiStub stub = new ForgeApiStub()) {
            CommitStatus status = new CommitStatus(stub.url("/api/v1"), "gordon/hello-world", "0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c",
                    CommitStatus.State.FAILURE, "https://pr-1.app.example.com", "The preview's deployment failed", "ployer/preview", "gitea-token");
            assertThat(ForgeApiStub.send(provider.commitStatusRequest(status).orElseThrow())).isEqualTo(201);
            ForgeApiStub.Received request = stub.take();
            assertThat(request.method()).isEqualTo("POST");
            assertThat(request.path()).isEqualTo("/api/v1/repos/gordon/hello-world/statuses/0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c");
            assertThat(request.headers()).containsEntry("authorization", "token gitea-token");
            JsonNode body = new ObjectMapper().readTree(request.body());
            assertThat(body.path("state").asText()).isEqualTo("failure");
            assertThat(body.path("target_url").asText()).isEqualTo("https://pr-1.app.example.com");
            assertThat(body.path("context").asText()).isEqualTo("ployer/preview");
            assertThat(body.path("description").asText()).isEqualTo("The preview's deployment failed");
        }
    }
}
