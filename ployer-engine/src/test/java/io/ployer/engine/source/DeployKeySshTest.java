package io.ployer.engine.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.api.application.DeployKey;
import io.ployer.api.application.KeyAlgorithm;
import io.ployer.spi.plugin.Cancellation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.junit.ssh.SshTestGitServer;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Clones over SSH from an in-process server on loopback, authenticated with Ployer's generated deploy keys. */
class DeployKeySshTest {
    @TempDir
    Path directory;

    private static KeyPair hostKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    private KeyPair loaded(DeployKey key) {
        return DeployKeys.loadKeyPairs(key.privateKey()).iterator().next();
    }

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void clonesWithAGeneratedDeployKey(KeyAlgorithm algorithm) throws Exception {
        DeployKey key = DeployKeys.generate("app-1", "ployer-app", algorithm, Clock.systemUTC());
        assertThat(key.publicKey()).startsWith(algorithm == KeyAlgorithm.ED25519 ? "ssh-ed25519 " : "ssh-rsa ").endsWith(" ployer-app");
        assertThat(key.fingerprint()).startsWith("SHA256:");
        try (Git origin = Git.init().setDirectory(directory.resolve("origin").toFile()).setInitialBranch("main").call()) {
            Files.writeString(directory.resolve("origin/app.txt"), "over ssh");
            origin.add().addFilepattern(".").call();
            RevCommit commit = origin.commit().setMessage("ssh").setAuthor("Ada", "ada@example.com")
                    .setCommitter("Ada", "ada@example.com").call();
            SshTestGitServer server = new SshTestGitServer("git", loaded(key).getPublic(), origin.getRepository(), hostKey());
            int port = server.start();
            List<String> log = new CopyOnWriteArrayList<>();
            try {
                GitSource.CheckoutResult result = new GitSource().checkout(new GitSource.CheckoutRequest(
                        "ssh://git@127.0.0.1:" + port + "/origin", "main", null, directory.resolve("workspace"), null,
                        key.privateKey(), directory.resolve("ssh")), log::add, Cancellation.NONE);
                assertThat(result.commitSha()).isEqualTo(commit.name());
                assertThat(Files.readString(result.directory().resolve("app.txt"))).isEqualTo("over ssh");
            } finally {
                server.stop();
            }
            assertThat(String.join("\n", log)).doesNotContain(key.privateKey().lines().skip(1).findFirst().orElseThrow());
            assertThat(Files.readString(directory.resolve("ssh/known_hosts"))).as("host key remembered (trust on first use)")
                    .contains("127.0.0.1");
        }
    }

    @Test
    void aKeyTheServerDoesNotKnowIsRefusedWithoutShowingIt() throws Exception {
        DeployKey known = DeployKeys.generate("app-1", "known", KeyAlgorithm.ED25519, Clock.systemUTC());
        DeployKey other = DeployKeys.generate("app-1", "other", KeyAlgorithm.ED25519, Clock.systemUTC());
        try (Git origin = Git.init().setDirectory(directory.resolve("origin").toFile()).setInitialBranch("main").call()) {
            Files.writeString(directory.resolve("origin/app.txt"), "x");
            origin.add().addFilepattern(".").call();
            origin.commit().setMessage("x").setAuthor("Ada", "ada@example.com").setCommitter("Ada", "ada@example.com").call();
            SshTestGitServer server = new SshTestGitServer("git", loaded(known).getPublic(), origin.getRepository(), hostKey());
            int port = server.start();
            try {
                assertThatThrownBy(() -> new GitSource().checkout(new GitSource.CheckoutRequest("ssh://git@127.0.0.1:" + port + "/origin",
                        "main", null, directory.resolve("workspace"), null, other.privateKey(), directory.resolve("ssh")),
                        line -> { }, Cancellation.NONE))
                        .isInstanceOfSatisfying(PloyerException.class, error -> {
                            assertThat(error.code()).isEqualTo(StandardErrorCode.GIT_FAILURE);
                            assertThat(error.getMessage()).contains("authentication failed")
                                    .doesNotContain(other.privateKey().lines().skip(1).findFirst().orElseThrow());
                        });
            } finally {
                server.stop();
            }
        }
    }
}
