package io.ployer.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ployer.api.Ployer;
import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.api.application.ApplicationSpec;
import io.ployer.api.server.ServerSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code git.allow-insecure-urls} and {@code git.allow-private-hosts} through a real engine: repository URLs
 * and server hosts naming link-local or metadata addresses are refused whatever the configuration. Only IP
 * literals and {@code localhost} are used, so nothing is looked up in DNS.
 */
class GitUrlConfigurationTest {
    @TempDir
    Path data;

    private static void assertRefused(Ployer ployer, String url, String words) {
        assertThatThrownBy(() -> ployer.applications().create(ApplicationSpec.named("app").withGit(url, "main")))
                .as(url).isInstanceOfSatisfying(PloyerException.class, error -> {
                    assertThat(error.code()).isEqualTo(StandardErrorCode.INVALID_ARGUMENT);
                    assertThat(error.field()).contains("git_url");
                    assertThat(error.getMessage()).contains(words);
                });
        assertThat(ployer.applications().list()).isEmpty();
    }

    @Test
    void insecureUrlsNeedTheSwitch() {
        try (Ployer strict = EngineFixture.started(data.resolve("strict"), Map.of())) {
            assertRefused(strict, "http://127.0.0.1:3000/team/app.git", "git.allow-insecure-urls=true");
            assertRefused(strict, "git://127.0.0.1/team/app.git", "git.allow-insecure-urls=true");
        }
        try (Ployer lan = EngineFixture.started(data.resolve("lan"), Map.of("git.allow-insecure-urls", "true"))) {
            assertThat(lan.applications().create(ApplicationSpec.named("plain").withGit("http://127.0.0.1:3000/team/app.git", "main"))
                    .gitUrl()).isEqualTo("http://127.0.0.1:3000/team/app.git");
            assertThat(lan.applications().create(ApplicationSpec.named("gitproto").withGit("git://localhost/team/app.git", "main"))
                    .gitUrl()).isEqualTo("git://localhost/team/app.git");
        }
        assertThatThrownBy(() -> EngineFixture.builder(data.resolve("bad")).config("git.allow-insecure-urls", "yes").build())
                .isInstanceOfSatisfying(PloyerException.class, error -> assertThat(error.getMessage())
                        .contains("git.allow-insecure-urls: must be true or false"));
    }

    @Test
    void linkLocalAndMetadataHostsAreRefusedAlwaysPrivateOnesOnlyWhenSwitchedOff() {
        List<String> never = List.of("https://169.254.169.254/latest/meta-data.git", "https://[fe80::1]/team/app.git",
                "git@169.254.169.254:team/app.git", "ssh://git@[fd00:ec2::254]/team/app.git", "https://metadata.google.internal/a/b.git",
                "https://100.100.100.200/a/b.git");
        try (Ployer defaults = EngineFixture.started(data.resolve("defaults"), Map.of())) {
            for (String url : never) {
                assertRefused(defaults, url, "never allowed");
            }
            assertThat(defaults.applications().create(ApplicationSpec.named("lan").withGit("https://127.0.0.1/team/app.git", "main")))
                    .isNotNull();
            assertThatThrownBy(() -> defaults.servers().create(new ServerSpec("imds", "169.254.169.254", 22, "deploy", null)))
                    .isInstanceOfSatisfying(PloyerException.class, error -> assertThat(error.field()).contains("host"));
            assertThatThrownBy(() -> defaults.servers().create(new ServerSpec("imds6", "[fe80::1]", 22, "deploy", null)))
                    .isInstanceOfSatisfying(PloyerException.class, error -> assertThat(error.field()).contains("host"));
            assertThat(defaults.servers().create(new ServerSpec("lan-box", "10.0.0.5", 22, "deploy", null))).isNotNull();
        }
        try (Ployer closed = EngineFixture.started(data.resolve("closed"), Map.of("git.allow-private-hosts", "false"))) {
            for (String url : List.of("https://127.0.0.1/team/app.git", "https://localhost/team/app.git", "git@10.1.2.3:team/app.git",
                    "ssh://git@192.168.1.20:2222/team/app.git", "https://[::1]/team/app.git")) {
                assertRefused(closed, url, "git.allow-private-hosts=true");
            }
            for (String url : never) {
                assertRefused(closed, url, "never allowed");
            }
            assertThatThrownBy(() -> closed.servers().create(new ServerSpec("lan-box", "10.0.0.5", 22, "deploy", null)))
                    .isInstanceOfSatisfying(PloyerException.class, error -> assertThat(error.field()).contains("host"));
            // Public addresses are fine either way; file:// repositories have no host to check.
            assertThat(closed.applications().create(ApplicationSpec.named("public").withGit("https://140.82.112.3/team/app.git", "main")))
                    .isNotNull();
            assertThat(closed.applications().create(ApplicationSpec.named("local-files").withGit("file:///srv/git/app.git", "main")))
                    .isNotNull();
        }
    }
}
