package io.ployer.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ployer.api.ErrorType;
import io.ployer.api.Ployer;
import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.api.application.Application;
import io.ployer.api.application.ApplicationSpec;
import io.ployer.api.application.ResourceLimits;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every validation rule of applications, env vars and domains rejects bad input and writes nothing. */
class ApplicationValidationTest {
    @TempDir
    Path data;
    Ployer ployer;
    Application existing;

    @BeforeEach
    void start() {
        ployer = EngineFixture.started(data, Map.of("domains.base", "apps.test"));
        existing = ployer.applications().create(valid("existing"));
        ployer.applications().setEnvVar(existing.id(), "TOKEN", "value-1", false);
        ployer.applications().addDomain(existing.id(), "existing.example.com");
    }

    @AfterEach
    void stop() {
        ployer.close();
    }

    private static ApplicationSpec valid(String name) {
        return ApplicationSpec.named(name).withGit("https://git.example.com/team/" + name + ".git", "main");
    }

    private List<Object> snapshot() {
        List<Object> state = new ArrayList<>();
        for (Application application : ployer.applications().list()) {
            state.add(application);
            state.add(ployer.applications().revealEnvVars(application.id()));
            state.add(ployer.applications().domains(application.id()));
        }
        return state;
    }

    private void assertRejected(String field, ThrowingCallable call) {
        List<Object> before = snapshot();
        assertThatThrownBy(call).isInstanceOfSatisfying(PloyerException.class, error -> {
            assertThat(error.type()).isEqualTo(ErrorType.USER);
            assertThat(error.field()).contains(field);
            assertThat(error.getMessage()).contains(field);
        });
        assertThat(snapshot()).as("storage after a rejected request").isEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "UPPER", "-leading", "trailing-", "under_score", "dot.name", "spa ce",
            "a234567890123456789012345678901234567890123456789012345678901234", "\u00fcnicode"})
    void rejectsApplicationNamesThatAreNotDnsLabels(String name) {
        assertRejected("name", () -> ployer.applications().create(valid(name)));
    }

    @Test
    void rejectsADuplicateName() {
        List<Object> before = snapshot();
        assertThatThrownBy(() -> ployer.applications().create(valid("existing")))
                .isInstanceOfSatisfying(PloyerException.class, error -> {
                    assertThat(error.code()).isEqualTo(StandardErrorCode.CONFLICT);
                    assertThat(error.field()).contains("name");
                });
        assertThat(snapshot()).isEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ext::sh -c touch% /tmp/pwned", "fd::17", "-uhttps://x", "https://user:pass@git.example.com/a.git",
            "https://git.example.com/a b.git", "https://git.example.com/a\n.git", "file:///srv/repo.git"})
    void rejectsDangerousGitUrls(String url) {
        Ployer strict = EngineFixture.builder(data.resolve("strict")).config("git.allow-file-urls", "false").build();
        strict.start();
        try {
            assertThatThrownBy(() -> strict.applications().create(ApplicationSpec.named("app").withGit(url, "main")))
                    .isInstanceOfSatisfying(PloyerException.class, error -> assertThat(error.field()).contains("git_url"));
            assertThat(strict.applications().list()).isEmpty();
        } finally {
            strict.close();
        }
    }

    @Test
    void requiresAGitUrlWhenTheStrategyBuildsFromSource() {
        assertRejected("git_url", () -> ployer.applications().create(ApplicationSpec.named("nosource")));
    }

    @Test
    void acceptsNoGitUrlForAStrategyWithoutSource() {
        Application application = ployer.applications().create(ApplicationSpec.named("image-app")
                .withBuild("image", Map.of("image", "ployer/busybox:latest")));
        assertThat(application.gitUrl()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"-main", "a..b", "feature@{1}", "with space", "tab\tbranch", "ends.lock", "trailing/", "x~y"})
    void rejectsBranchesThatBreakGitRefRules(String branch) {
        assertRejected("branch", () -> ployer.applications().create(valid("branchy").withGit("https://git.example.com/a.git", branch)));
    }

    @Test
    void rejectsABranchLongerThan255Characters() {
        assertRejected("branch", () -> ployer.applications().create(valid("long").withGit("https://git.example.com/a.git", "b".repeat(256))));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 65536, 100000})
    void rejectsPortsOutsideTheTcpRange(int port) {
        assertRejected("port", () -> ployer.applications().create(valid("porty").withPort(port)));
    }

    @Test
    void rejectsAnUnknownBuildStrategyAndUnknownBuildConfigKeys() {
        assertRejected("build_strategy", () -> ployer.applications().create(valid("strategy").withBuild("nixpacks", null)));
        assertRejected("build_config.colour", () -> ployer.applications().create(valid("strategy")
                .withBuild("dockerfile", Map.of("colour", "blue"))));
    }

    @Test
    void rejectsImpossibleResourceLimits() {
        assertRejected("limits.memory_bytes", () -> ployer.applications().create(valid("limits")
                .withLimits(new ResourceLimits(1024L, null))));
        assertRejected("limits.cpus", () -> ployer.applications().create(valid("limits")
                .withLimits(new ResourceLimits(null, 0.0))));
    }

    @Test
    void rejectsRenamingAnApplication() {
        assertRejected("name", () -> ployer.applications().update(existing.id(), ApplicationSpec.named("renamed")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1STARTS_WITH_DIGIT", "HAS-DASH", "HAS SPACE", "DOLLAR$", "\u00c9T\u00c9"})
    void rejectsEnvKeysOutsideThePortableSet(String key) {
        assertRejected("key", () -> ployer.applications().setEnvVar(existing.id(), key, "v", false));
    }

    @Test
    void rejectsEnvKeysLongerThan256Characters() {
        assertRejected("key", () -> ployer.applications().setEnvVar(existing.id(), "K".repeat(257), "v", false));
    }

    @Test
    void rejectsEnvValuesWithNulOrOver64KiB() {
        assertRejected("value", () -> ployer.applications().setEnvVar(existing.id(), "NUL", "a\0b", false));
        assertRejected("value", () -> ployer.applications().setEnvVar(existing.id(), "BIG", "x".repeat(64 * 1024 + 1), false));
    }

    @Test
    void acceptsAnyNonNulValueUpTo64KiB() {
        String value = "line1\nline2 \"quoted\" $HOME \u00e9\u4e2d" + "y".repeat(1000);
        ployer.applications().setEnvVar(existing.id(), "ANY", value, false);
        assertThat(ployer.applications().revealEnvVars(existing.id()))
                .anySatisfy(envVar -> assertThat(envVar.value()).isEqualTo(value));
    }

    @ParameterizedTest
    @ValueSource(strings = {"192.168.1.10", "[::1]", "::1", "*.wild.example.com", "single", "has space.com",
            "-lead.example.com", "trail-.example.com", "a..b.com", "under_score.example.com", "example.123"})
    void rejectsInvalidDomains(String hostname) {
        assertRejected("hostname", () -> ployer.applications().addDomain(existing.id(), hostname));
    }

    @Test
    void normalisesDomainsToLowerCaseAscii() {
        assertThat(ployer.applications().addDomain(existing.id(), "Shop.Example.COM").hostname()).isEqualTo("shop.example.com");
        assertThat(ployer.applications().addDomain(existing.id(), "b\u00fccher.example").hostname()).isEqualTo("xn--bcher-kva.example");
    }

    @Test
    void aComposeAppsDomainNamesAServiceAndAPortAndOtherAppsCannot() {
        Application stack = ployer.applications().create(valid("stack").withBuild("compose", Map.of("compose_file", "deploy/stack.yaml")));
        assertThat(stack.buildConfig()).containsEntry("compose_file", "deploy/stack.yaml");
        io.ployer.api.application.Domain domain = ployer.applications().addDomain(stack.id(), "Stack.Example.com", "web", 8080);
        assertThat(domain.service()).isEqualTo("web");
        assertThat(domain.port()).isEqualTo(8080);
        assertThat(ployer.applications().domains(stack.id())).extracting(found -> found.hostname() + " " + found.service() + " "
                + found.port()).containsExactly("stack.apps.test null null", "stack.example.com web 8080");
        assertThat(ployer.applications().addDomain(stack.id(), "any.example.com", null, 3000).port()).isEqualTo(3000);

        assertRejected("service", () -> ployer.applications().addDomain(existing.id(), "web.example.com", "web", null));
        assertRejected("service", () -> ployer.applications().addDomain(stack.id(), "bad.example.com", "-web;rm", null));
        assertRejected("port", () -> ployer.applications().addDomain(stack.id(), "bad.example.com", "web", 70000));
        assertRejected("build_config.compose_file", () -> ployer.applications().create(valid("stack2")
                .withBuild("compose", Map.of("compose_file", "../outside.yaml"))));
        assertRejected("build_config.compose_file", () -> ployer.applications().create(valid("stack3")
                .withBuild("compose", Map.of("compose_file", "/etc/compose.yaml"))));
        assertRejected("build_config.dockerfile", () -> ployer.applications().create(valid("stack4")
                .withBuild("compose", Map.of("dockerfile", "Dockerfile"))));
    }

    @Test
    void rejectsADomainUsedByAnotherApplicationWhateverItsCase() {
        Application other = ployer.applications().create(valid("other"));
        List<Object> before = snapshot();
        assertThatThrownBy(() -> ployer.applications().addDomain(other.id(), "EXISTING.example.com"))
                .isInstanceOfSatisfying(PloyerException.class, error -> {
                    assertThat(error.code()).isEqualTo(StandardErrorCode.CONFLICT);
                    assertThat(error.field()).contains("hostname");
                });
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void acceptsWildcardsOnlyWhenConfigured() {
        Ployer permissive = EngineFixture.started(data.resolve("wild"), Map.of("domains.allow-wildcards", "true"));
        try {
            Application application = permissive.applications().create(valid("wild"));
            assertThat(permissive.applications().addDomain(application.id(), "*.Wild.Example.com").hostname())
                    .isEqualTo("*.wild.example.com");
        } finally {
            permissive.close();
        }
    }

    @Test
    void givesEachApplicationItsAutomaticSubdomainAsPrimary() {
        assertThat(ployer.applications().domains(existing.id()))
                .first().satisfies(domain -> {
                    assertThat(domain.hostname()).isEqualTo("existing.apps.test");
                    assertThat(domain.primary()).isTrue();
                    assertThat(domain.auto()).isTrue();
                });
    }

    @Test
    void answersNotFoundForUnknownIds() {
        assertThatThrownBy(() -> ployer.applications().get("no-such-id"))
                .isInstanceOfSatisfying(PloyerException.class,
                        error -> assertThat(error.code()).isEqualTo(StandardErrorCode.NOT_FOUND));
        assertThatThrownBy(() -> ployer.applications().setEnvVar("no-such-id", "KEY", "v", false))
                .isInstanceOfSatisfying(PloyerException.class,
                        error -> assertThat(error.code()).isEqualTo(StandardErrorCode.NOT_FOUND));
    }

    @Test
    void deletingAnApplicationRemovesWhatItOwns() {
        ployer.applications().delete(existing.id());
        assertThat(ployer.applications().list()).isEmpty();
        Application again = ployer.applications().create(valid("existing"));
        assertThat(ployer.applications().envVars(again.id())).isEmpty();
        assertThat(ployer.applications().addDomain(again.id(), "existing.example.com").primary()).isFalse();
    }
}
