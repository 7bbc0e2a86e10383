package io.ployer.engine.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.ployer.spi.git.WebhookEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which repository a git URL names, in every form forges send, and which change of a delivery is acted on. */
class RepositoryIdentityTest {

    @Test
    void everyFormOfOneRepositoryIsTheSameRepository() {
        List<String> forms = List.of(
                "https://github.com/octocat/Hello-World.git",
                "https://github.com/octocat/Hello-World",
                "https://GitHub.com/Octocat/hello-world/",
                "https://github.com/octocat/Hello-World.git/",
                "http://github.com/octocat/Hello-World.git",
                "git://github.com/octocat/Hello-World.git",
                "git@github.com:octocat/Hello-World.git",
                "git@github.com:/octocat/Hello-World",
                "ssh://git@github.com/octocat/Hello-World.git",
                "ssh://git@github.com:22/octocat/Hello-World.git",
                "https://github.com:443/octocat/Hello-World");
        for (String form : forms) {
            assertThat(RepositoryIdentity.of(form)).as(form).contains("github.com/octocat/hello-world");
            assertThat(RepositoryIdentity.anyMatches(forms.get(0), List.of(form))).as(form).isTrue();
        }
    }

    @Test
    void anotherRepositoryHostOrOwnerIsNotTheSame() {
        String app = "git@github.com:octocat/hello-world.git";
        assertThat(RepositoryIdentity.anyMatches(app, List.of("https://github.com/octocat/hello-world-fork.git"))).isFalse();
        assertThat(RepositoryIdentity.anyMatches(app, List.of("https://github.com/someone/hello-world.git"))).isFalse();
        assertThat(RepositoryIdentity.anyMatches(app, List.of("https://gitlab.com/octocat/hello-world.git"))).isFalse();
        assertThat(RepositoryIdentity.anyMatches(app, List.of("https://github.com/octocat/hello-world/tree/main"))).isFalse();
        assertThat(RepositoryIdentity.anyMatches(app, List.of("https://github.com/octocat"))).isFalse();
        assertThat(RepositoryIdentity.anyMatches(app, List.of())).isFalse();
        assertThat(RepositoryIdentity.anyMatches(app, List.of("https://github.com/"))).isFalse();
        // One matching URL among the payload's several is enough (GitLab's ssh form for an ssh application).
        assertThat(RepositoryIdentity.anyMatches(app, List.of("https://github.com/other/x.git", "git@github.com:octocat/hello-world.git")))
                .isTrue();
        assertThat(RepositoryIdentity.of("file:///srv/git/app.git")).contains("/srv/git/app");
        assertThat(RepositoryIdentity.of("not a url")).isEmpty();
    }

    @Test
    void theChangeOfTheApplicationsBranchIsChosenWhereverItStands() {
        WebhookEvent main = new WebhookEvent.Push("main", "1111111", null, null, null);
        WebhookEvent feature = new WebhookEvent.Push("feature", "2222222", null, null, null);
        WebhookEvent tag = new WebhookEvent.TagPush("v1", "3333333");
        WebhookEvent deleted = new WebhookEvent.BranchDeleted("feature");
        assertThat(DefaultWebhookService.forBranch(List.of(main, feature, tag), "feature")).isSameAs(feature);
        assertThat(DefaultWebhookService.forBranch(List.of(tag, main, feature), "main")).isSameAs(main);
        assertThat(DefaultWebhookService.forBranch(List.of(tag, deleted, main), "feature")).isSameAs(deleted);
        // Nothing for the branch: the first push, so the delivery is recorded as skipped for its branch.
        assertThat(DefaultWebhookService.forBranch(List.of(tag, main), "release")).isSameAs(main);
        assertThat(DefaultWebhookService.forBranch(List.of(tag), "release")).isSameAs(tag);
    }
}
