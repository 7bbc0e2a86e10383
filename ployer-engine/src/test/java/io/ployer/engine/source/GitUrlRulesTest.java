package io.ployer.engine.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ployer.api.PloyerException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The repository URL rules: insecure schemes behind a switch, and nothing ssh could read as an option. */
class GitUrlRulesTest {
    private static final GitUrlRules.Policy DEFAULT = new GitUrlRules.Policy(false, false);
    private static final GitUrlRules.Policy INSECURE = new GitUrlRules.Policy(false, true);

    private static void assertRefused(String url, GitUrlRules.Policy policy, String words) {
        assertThatThrownBy(() -> GitUrlRules.validateUrl(url, policy)).as(url).isInstanceOfSatisfying(PloyerException.class, error -> {
            assertThat(error.field()).contains("git_url");
            assertThat(error.getMessage()).contains(words);
        });
    }

    @Test
    void plainHttpAndGitUrlsAreRefusedByDefaultAndAcceptedWhenAllowed() {
        for (String url : List.of("http://git.lan/team/app.git", "HTTP://git.lan:3000/team/app", "git://git.lan/team/app.git",
                "http://192.168.1.20:3000/team/app.git")) {
            assertRefused(url, DEFAULT, "git.allow-insecure-urls=true");
            GitUrlRules.validateUrl(url, INSECURE);
        }
        // The other rules still hold for them.
        assertRefused("http://user:pass@git.lan/team/app.git", INSECURE, "credentials");
        assertRefused("http://token@git.lan/team/app.git", INSECURE, "credentials");
        assertRefused("git://git.lan/", INSECURE, "repository path");
        assertRefused("http:///team/app.git", INSECURE, "host");
    }

    @Test
    void aUserOrHostBeginningWithADashIsRefused() {
        for (String url : List.of("ssh://-oProxyCommand=x@host/x", "ssh://-oProxyCommand=touch%20pwned@host/x",
                "ssh://%2DoProxyCommand=x@host/x", "ssh://-host/x", "ssh://git@-oProxyCommand=x/x", "git@-oProxyCommand=x:team/app.git",
                "git@-host:team/app.git", "-oProxyCommand=x@host:team/app.git", "http://-oProxyCommand=x@host/x")) {
            for (GitUrlRules.Policy policy : List.of(DEFAULT, INSECURE)) {
                assertThatThrownBy(() -> GitUrlRules.validateUrl(url, policy)).as(url).isInstanceOfSatisfying(PloyerException.class,
                        error -> assertThat(error.field()).contains("git_url"));
            }
        }
        assertRefused("ssh://-oProxyCommand=x@host/x", DEFAULT, "beginning with '-'");
        for (String url : List.of("ssh://git@host/team/app.git", "ssh://deploy-user@host:2222/x.git", "git@github.com:team/app.git",
                "deploy.bot@git.example.com:team/app.git", "ssh://git@[2001:db8::1]:22/team/app.git")) {
            GitUrlRules.validateUrl(url, DEFAULT);
        }
    }

    @Test
    void theHostIsWhatAConnectionWouldGoTo() {
        assertThat(GitUrlRules.host("https://Git.Example.com:8443/a/b.git")).contains("Git.Example.com");
        assertThat(GitUrlRules.host("ssh://git@[2001:db8::1]:22/a.git")).contains("2001:db8::1");
        assertThat(GitUrlRules.host("git@169.254.169.254:a/b.git")).contains("169.254.169.254");
        assertThat(GitUrlRules.host("http://10.0.0.1/a.git")).contains("10.0.0.1");
        assertThat(GitUrlRules.host("file:///srv/a.git")).isEmpty();
    }
}
