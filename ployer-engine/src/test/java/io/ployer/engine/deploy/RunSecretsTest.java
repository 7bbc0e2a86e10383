package io.ployer.engine.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.ployer.api.application.Application;
import io.ployer.api.application.KeyAlgorithm;
import io.ployer.api.deployment.DeploymentStatus;
import io.ployer.engine.application.RunSecrets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A deployment run decrypts its application's secrets once, when it starts, and hands them to the
 * checkout, the build and the container start; the checkout never asks for them itself.
 */
class RunSecretsTest {
    @TempDir
    Path directory;

    @Test
    void aDeploymentDecryptsEachSecretOnceAndHandsTheCheckoutItsCredentials() throws InterruptedException {
        try (StateMachineHarness harness = new StateMachineHarness(directory)) {
            Application app = harness.application("secretive");
            harness.applications.setEnvVar(app.id(), "DATABASE_PASSWORD", "runtime-only-secret", false);
            harness.applications.setEnvVar(app.id(), "NPM_TOKEN", "build-time-secret", true);
            harness.applications.setGitToken(app.id(), "ghp_token_of_the_run");
            harness.applications.regenerateDeployKey(app.id(), KeyAlgorithm.ED25519);
            harness.takeDecryptions();

            assertThat(harness.awaitEnd(harness.deploy(app)).status()).isEqualTo(DeploymentStatus.RUNNING);

            List<String> once = List.of(app.id() + "/env:DATABASE_PASSWORD", app.id() + "/env:NPM_TOKEN",
                    app.id() + "/git_token", app.id() + "/deploy_key");
            assertThat(harness.takeDecryptions()).as("each secret decrypted once per deployment")
                    .containsExactlyInAnyOrderElementsOf(once);
            assertThat(harness.source.credentials()).singleElement().satisfies(given -> {
                assertThat(given.gitToken()).isEqualTo("ghp_token_of_the_run");
                assertThat(given.privateDeployKey()).contains("PRIVATE KEY").doesNotStartWith("ENC:");
                assertThat(given.toString()).doesNotContain("ghp_token_of_the_run").doesNotContain("PRIVATE KEY");
            });
            assertThat(harness.build.requests()).singleElement()
                    .satisfies(request -> assertThat(request.buildArgs()).containsOnly(entry("NPM_TOKEN", "build-time-secret")));

            // the next deployment decrypts again (a changed value is picked up), once
            harness.applications.setEnvVar(app.id(), "NPM_TOKEN", "rotated-build-secret", true);
            harness.takeDecryptions();
            assertThat(harness.awaitEnd(harness.deploy(app)).status()).isEqualTo(DeploymentStatus.RUNNING);
            assertThat(harness.takeDecryptions()).containsExactlyInAnyOrderElementsOf(once);
            assertThat(harness.build.requests().get(1).buildArgs()).containsOnly(entry("NPM_TOKEN", "rotated-build-secret"));
        }
    }

    @Test
    void aRunWithoutCredentialsHandsTheCheckoutNone() throws InterruptedException {
        try (StateMachineHarness harness = new StateMachineHarness(directory)) {
            Application app = harness.application("public-repo");
            assertThat(harness.awaitEnd(harness.deploy(app)).status()).isEqualTo(DeploymentStatus.RUNNING);
            assertThat(harness.takeDecryptions()).isEmpty();
            assertThat(harness.source.credentials()).containsExactly(SourceCheckout.Credentials.NONE);
        }
    }

    @Test
    void runSecretsShowNoValueAndAreDroppedWhenClosed() {
        RunSecrets secrets = new RunSecrets(List.of(new RunSecrets.Entry("API_KEY", "s3cr3t-value", false),
                new RunSecrets.Entry("NPM_TOKEN", "npm-value", true)), "token-value", "key-value");
        assertThat(secrets.environment(false)).containsOnly(entry("API_KEY", "s3cr3t-value"), entry("NPM_TOKEN", "npm-value"));
        assertThat(secrets.environment(true)).containsOnly(entry("NPM_TOKEN", "npm-value"));
        assertThat(secrets.toString()).contains("API_KEY", "NPM_TOKEN")
                .doesNotContain("s3cr3t-value", "npm-value", "token-value", "key-value");
        assertThat(new RunSecrets.Entry("API_KEY", "s3cr3t-value", false).toString()).doesNotContain("s3cr3t-value");

        secrets.close();
        assertThat(secrets.environment(false)).isEmpty();
        assertThat(secrets.gitToken()).isEmpty();
        assertThat(secrets.privateDeployKey()).isEmpty();
    }
}
