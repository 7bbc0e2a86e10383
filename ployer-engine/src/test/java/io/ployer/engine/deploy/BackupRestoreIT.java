package io.ployer.engine.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.ployer.api.Ployer;
import io.ployer.api.application.Application;
import io.ployer.api.application.ApplicationSpec;
import io.ployer.api.deployment.Deployment;
import io.ployer.api.deployment.DeploymentLogLine;
import io.ployer.api.deployment.DeploymentRequest;
import io.ployer.api.deployment.DeploymentStatus;
import io.ployer.engine.backup.BackupArchive;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backup is only a backup if it restores into something that works: an engine with an app and a
 * secret env value is backed up while it runs, restored into a new data directory, and the restored
 * engine deploys the app with the secret decrypted into the container (real dockerd, real Caddy).
 */
class BackupRestoreIT {
    @RegisterExtension
    static final SharedCaddy CADDY = new SharedCaddy();

    @TempDir
    Path temporary;


    @Test
    void aRestoredDataDirectoryDeploysTheAppWithItsSecrets() throws Exception {
        AppRepository repository = AppRepository.create(temporary.resolve("repo"));
        repository.commitVersion("v1", "");
        String name = "restored-" + UUID.randomUUID().toString().substring(0, 8);
        Path archive = temporary.resolve("backup.zip");
        String applicationId;
        try (Ployer original = CADDY.fixture().start(temporary.resolve("data"))) {
            Application application = original.applications().create(ApplicationSpec.named(name).withGit(repository.url(), "main"));
            applicationId = application.id();
            original.applications().setEnvVar(applicationId, "GREETING", "restored-secret-greeting", false);
            original.administration().backupArchive(archive);
        }
        Path restored = temporary.resolve("restored");
        BackupArchive.restore(archive, restored, false, false, staged -> {
            try (Ployer check = CADDY.fixture().builder(staged).config("reconcile", "false").build()) {
                check.start();
            }
        });
        try (Ployer ployer = CADDY.fixture().start(restored)) {
            Deployment deployment = ployer.deployments().deploy(DeploymentRequest.of(applicationId));
            deployment = ployer.deployments().awaitCompletion(deployment.id(), Duration.ofMinutes(3));
            assertThat(deployment.status()).as(String.join("\n", ployer.deployments().logs(deployment.id()).stream()
                    .map(DeploymentLogLine::line).toList())).isEqualTo(DeploymentStatus.RUNNING);
            assertThat(CADDY.fixture().version(name)).isEqualTo("200 v1");
            assertThat(CADDY.fixture().get(name, "/greeting.txt").body().strip()).isEqualTo("restored-secret-greeting");
        } finally {
            PipelineFixture.removeEverythingOf(applicationId);
        }
    }
}
