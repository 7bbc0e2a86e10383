package io.ployer.engine.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.spi.plugin.Cancellation;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkouts from real repositories: first clone, fetch of new commits, exact commits, errors, credentials. */
class GitSourceTest {
    @TempDir
    Path directory;
    final GitSource git = new GitSource();
    final List<String> log = new CopyOnWriteArrayList<>();

    private RevCommit commit(Git repository, String content) throws Exception {
        Files.writeString(directory.resolve("origin").resolve("file.txt"), content);
        repository.add().addFilepattern(".").call();
        return repository.commit().setMessage("commit " + content).setAuthor("Ada", "ada@example.com")
                .setCommitter("Ada", "ada@example.com").call();
    }

    private GitSource.CheckoutRequest request(String url, String branch, String commit, String token) {
        return new GitSource.CheckoutRequest(url, branch, commit, directory.resolve("workspace"), token, null, directory.resolve("ssh"));
    }

    @Test
    void clonesThenFetchesNewCommitsAndChecksOutExactOnes() throws Exception {
        try (Git origin = Git.init().setDirectory(directory.resolve("origin").toFile()).setInitialBranch("main").call()) {
            RevCommit first = commit(origin, "one");
            String url = directory.resolve("origin").toUri().toString();
            GitSource.CheckoutResult cloned = git.checkout(request(url, "main", null, null), log::add, Cancellation.NONE);
            assertThat(cloned.commitSha()).isEqualTo(first.name());
            assertThat(Files.readString(cloned.directory().resolve("file.txt"))).isEqualTo("one");

            RevCommit second = commit(origin, "two");
            GitSource.CheckoutResult fetched = git.checkout(request(url, "main", null, null), log::add, Cancellation.NONE);
            assertThat(fetched.commitSha()).isEqualTo(second.name());
            assertThat(fetched.commitMessage()).isEqualTo("commit two");
            assertThat(Files.readString(fetched.directory().resolve("file.txt"))).isEqualTo("two");

            GitSource.CheckoutResult older = git.checkout(request(url, "main", first.name(), null), log::add, Cancellation.NONE);
            assertThat(Files.readString(older.directory().resolve("file.txt"))).isEqualTo("one");
            assertThat(log).anySatisfy(line -> assertThat(line).startsWith("Checked out"));

            assertThatThrownBy(() -> git.checkout(request(url, "nope", null, null), log::add, Cancellation.NONE))
                    .isInstanceOfSatisfying(PloyerException.class, error -> {
                        assertThat(error.code()).isEqualTo(StandardErrorCode.GIT_FAILURE);
                        assertThat(error.getMessage()).contains("nope");
                    });
        }
    }

    @Test
    void aCancelledCheckoutStops() throws Exception {
        try (Git origin = Git.init().setDirectory(directory.resolve("origin").toFile()).setInitialBranch("main").call()) {
            commit(origin, "one");
            Cancellation cancelled = new Cancellation() {
                @Override
                public boolean isCancelled() {
                    return true;
                }

                @Override
                public void onCancel(Runnable action) {
                    action.run();
                }
            };
            assertThatThrownBy(() -> git.checkout(request(directory.resolve("origin").toUri().toString(), "main", null, null),
                    log::add, cancelled)).isInstanceOfSatisfying(PloyerException.class,
                    error -> assertThat(error.code()).isEqualTo(StandardErrorCode.CANCELLED));
        }
    }

    @Test
    void sendsAnHttpsTokenAsACredentialNeverInTheUrlNorInMessages() throws Exception {
        String token = "glpat-token-value-0123456789";
        List<String> authorizations = new CopyOnWriteArrayList<>();
        List<String> paths = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        server.createContext("/", exchange -> {
            paths.add(exchange.getRequestURI().toString());
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            if (authorization == null) {
                exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"git\"");
                exchange.sendResponseHeaders(401, -1);
            } else {
                authorizations.add(authorization);
                exchange.sendResponseHeaders(403, -1);
            }
            exchange.close();
        });
        server.start();
        try {
            // JGit speaks http to the loopback test server; the application rules accept only https URLs.
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/team/app.git";
            assertThatThrownBy(() -> git.checkout(request(url, "main", null, token), log::add, Cancellation.NONE))
                    .isInstanceOfSatisfying(PloyerException.class, error -> {
                        assertThat(error.code()).isEqualTo(StandardErrorCode.GIT_FAILURE);
                        assertThat(error.getMessage()).doesNotContain(token);
                    });
        } finally {
            server.stop(0);
        }
        String expected = "Basic " + Base64.getEncoder().encodeToString(("x-access-token:" + token).getBytes(StandardCharsets.UTF_8));
        assertThat(authorizations).contains(expected);
        assertThat(paths).allSatisfy(path -> assertThat(path).doesNotContain(token));
        assertThat(log).allSatisfy(line -> assertThat(line).doesNotContain(token));
    }

    @Test
    void urlRulesRefuseCredentialsAndRemoteHelpers() {
        for (String bad : List.of("https://user:pass@example.com/a.git", "https://token@example.com/a.git", "ext::sh -c x",
                "fd::3", "-u", "http://example.com/a.git", "https://example.com/a b.git")) {
            assertThatThrownBy(() -> GitUrlRules.validateUrl(bad, false)).isInstanceOfSatisfying(PloyerException.class,
                    error -> assertThat(error.field()).contains("git_url"));
        }
        for (String good : List.of("https://github.com/team/app.git", "ssh://git@example.com:2222/team/app.git",
                "git@github.com:team/app.git")) {
            GitUrlRules.validateUrl(good, false);
        }
        assertThat(GitUrlRules.redactUrl("https://user:secret@example.com/a.git")).isEqualTo("https://example.com/a.git");
    }
}
