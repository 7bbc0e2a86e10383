package io.ployer.engine.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.ployer.api.Ployer;
import io.ployer.api.application.Application;
import io.ployer.api.application.ApplicationSpec;
import io.ployer.api.deployment.Deployment;
import io.ployer.api.deployment.DeploymentLogLine;
import io.ployer.api.deployment.DeploymentRequest;
import io.ployer.api.deployment.DeploymentStatus;
import io.ployer.api.registry.Registry;
import io.ployer.api.registry.RegistrySpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code image} strategy against a real registry (Debian's docker-registry on loopback, with and
 * without basic auth): the image is pulled, run, health-gated and served through Caddy; a missing
 * image ends FAILED with a sentence.
 */
class ImageDeploymentIT {
    static final Duration DEPLOY_TIMEOUT = Duration.ofMinutes(3);
    @RegisterExtension
    static final SharedCaddy CADDY = new SharedCaddy();

    @TempDir
    Path data;
    final List<String> applications = new ArrayList<>();
    final List<String> pushed = new ArrayList<>();
    Ployer ployer;
    RegistryProcess registry;


    @AfterEach
    void cleanUp() {
        if (ployer != null) {
            ployer.close();
        }
        applications.forEach(PipelineFixture::removeEverythingOf);
        try (var docker = PipelineFixture.docker()) {
            pushed.forEach(docker::removeImage);
        }
        if (registry != null) {
            registry.close();
        }
    }

    private Application createImageApp(String image) {
        String name = "img-" + UUID.randomUUID().toString().substring(0, 8);
        Application application = ployer.applications().create(ApplicationSpec.named(name).withBuild("image", Map.of("image", image)));
        applications.add(application.id());
        return application;
    }

    private Deployment deployAndWait(Application application) throws InterruptedException {
        Deployment deployment = ployer.deployments().deploy(DeploymentRequest.of(application.id()));
        return ployer.deployments().awaitCompletion(deployment.id(), DEPLOY_TIMEOUT);
    }

    private String log(Deployment deployment) {
        return String.join("\n", ployer.deployments().logs(deployment.id()).stream().map(DeploymentLogLine::line).toList());
    }

    @Test
    void pullsAnImageFromARegistryAndRunsIt() throws Exception {
        registry = RegistryProcess.start(data.resolve("registry"), null, null);
        String image = registry.host() + "/ployer-it/web:" + UUID.randomUUID().toString().substring(0, 8);
        registry.pushWebImage(data.resolve("image"), image, "from-registry");
        pushed.add(image);
        try (var docker = PipelineFixture.docker()) {
            assertThat(docker.imageExists(image)).as("the pushed image is gone locally, so only a pull can bring it").isFalse();
        }
        ployer = CADDY.fixture().start(data.resolve("engine"));
        Application application = createImageApp(image);

        Deployment deployment = deployAndWait(application);

        assertThat(deployment.status()).as(deployment.failureReason() + "\n" + log(deployment)).isEqualTo(DeploymentStatus.RUNNING);
        assertThat(log(deployment)).contains("Pulling " + image).contains("Health check passed").doesNotContain("Status: CLONING");
        assertThat(CADDY.fixture().version(application.name())).isEqualTo("200 from-registry");
    }

    @Test
    void pullsFromARegistryBehindBasicAuthWithTheConfiguredCredentials() throws Exception {
        String password = "pw-" + UUID.randomUUID();
        registry = RegistryProcess.start(data.resolve("registry"), "deployer", password);
        registry.login("deployer", password);
        String image = registry.host() + "/ployer-it/private:" + UUID.randomUUID().toString().substring(0, 8);
        registry.pushWebImage(data.resolve("image"), image, "private-v1");
        pushed.add(image);

        // Without credentials the registry refuses, and the reason says so in a sentence.
        ployer = CADDY.fixture().start(data.resolve("anonymous"));
        Deployment refused = deployAndWait(createImageApp(image));
        assertThat(refused.status()).isEqualTo(DeploymentStatus.FAILED);
        assertThat(refused.failureReason()).startsWith("The image " + image + " could not be pulled: the registry "
                + registry.host() + " refused access");
        ployer.close();

        ployer = CADDY.fixture().builder(data.resolve("engine")).config("runtime.docker-config", registry.dockerConfig().toString()).build();
        ployer.start();
        Application application = createImageApp(image);
        Deployment deployment = deployAndWait(application);

        assertThat(deployment.status()).as(deployment.failureReason() + "\n" + log(deployment)).isEqualTo(DeploymentStatus.RUNNING);
        assertThat(log(deployment)).contains("with the credentials configured for " + registry.host()).doesNotContain(password);
        assertThat(CADDY.fixture().version(application.name())).isEqualTo("200 private-v1");
    }

    @Test
    void pullsWithTheCredentialsOfTheRegistryConfiguredThroughTheApi() throws Exception {
        String password = "pw-" + UUID.randomUUID();
        registry = RegistryProcess.start(data.resolve("registry"), "deployer", password);
        registry.login("deployer", password);
        String image = registry.host() + "/ployer-it/configured:" + UUID.randomUUID().toString().substring(0, 8);
        registry.pushWebImage(data.resolve("image"), image, "configured-v1");
        pushed.add(image);
        ployer = CADDY.fixture().start(data.resolve("engine"));

        // A wrong password is refused by the registry, and the reason says so.
        Registry configured = ployer.registries().create(new RegistrySpec("http://" + registry.host() + "/", "deployer", "wrong-" + password));
        assertThat(configured.url()).isEqualTo(registry.host());
        assertThat(configured.hasPassword()).isTrue();
        Deployment refused = deployAndWait(createImageApp(image));
        assertThat(refused.status()).isEqualTo(DeploymentStatus.FAILED);
        assertThat(refused.failureReason()).contains("the registry " + registry.host() + " refused access");
        assertThat(log(refused)).doesNotContain("wrong-" + password);

        ployer.registries().update(configured.id(), new RegistrySpec(null, null, password));
        Application application = createImageApp(image);
        Deployment deployment = deployAndWait(application);

        assertThat(deployment.status()).as(deployment.failureReason() + "\n" + log(deployment)).isEqualTo(DeploymentStatus.RUNNING);
        assertThat(log(deployment)).contains("Pulling " + image + " with the credentials configured for " + registry.host())
                .doesNotContain(password);
        assertThat(CADDY.fixture().version(application.name())).isEqualTo("200 configured-v1");

        // The credentials survive a restart (stored encrypted, read back with the engine's key).
        ployer.close();
        try (var docker = PipelineFixture.docker()) {
            docker.removeImage(image);
        }
        ployer = CADDY.fixture().start(data.resolve("engine"));
        Deployment again = deployAndWait(ployer.applications().get(application.id()));
        // Pulled again with the stored credentials; the same digest runs already, so nothing is switched.
        assertThat(again.status()).as(again.failureReason() + "\n" + log(again)).isEqualTo(DeploymentStatus.CANCELLED);
        assertThat(again.imageDigest()).isEqualTo(deployment.imageDigest()).startsWith("sha256:");
        assertThat(log(again)).contains("Pulling " + image + " with the credentials configured for " + registry.host())
                .doesNotContain(password);
        assertThat(CADDY.fixture().version(application.name())).isEqualTo("200 configured-v1");
    }

    @Test
    void aRedeployOfTheSameTagSwitchesOnlyWhenItsDigestChangedAndRollbackRunsTheRecordedDigest() throws Exception {
        registry = RegistryProcess.start(data.resolve("registry"), null, null);
        String image = registry.host() + "/ployer-it/moving:latest";
        pushed.add(image);
        ployer = CADDY.fixture().start(data.resolve("engine"));
        // A registry without credentials: pulls are anonymous, as without an entry.
        ployer.registries().create(new RegistrySpec(registry.host(), null, null));
        registry.pushWebImage(data.resolve("v1"), image, "moving-v1");
        Application application = createImageApp(image);

        Deployment first = deployAndWait(application);
        assertThat(first.status()).as(first.failureReason() + "\n" + log(first)).isEqualTo(DeploymentStatus.RUNNING);
        assertThat(first.imageDigest()).matches("sha256:[0-9a-f]{64}");
        assertThat(log(first)).contains(image + " resolved to " + first.imageDigest());
        assertThat(CADDY.fixture().version(application.name())).isEqualTo("200 moving-v1");

        registry.pushWebImage(data.resolve("v2"), image, "moving-v2");
        Deployment second = deployAndWait(application);
        assertThat(second.status()).as(second.failureReason() + "\n" + log(second)).isEqualTo(DeploymentStatus.RUNNING);
        assertThat(second.imageDigest()).matches("sha256:[0-9a-f]{64}").isNotEqualTo(first.imageDigest());
        assertThat(CADDY.fixture().version(application.name())).isEqualTo("200 moving-v2");
        assertThat(ployer.deployments().get(first.id()).status()).isEqualTo(DeploymentStatus.SUPERSEDED);

        // Pulled again, same digest: nothing to switch, the running deployment keeps serving.
        Deployment third = deployAndWait(application);
        assertThat(third.status()).as(log(third)).isEqualTo(DeploymentStatus.CANCELLED);
        assertThat(third.imageDigest()).isEqualTo(second.imageDigest());
        assertThat(third.failureReason()).isEqualTo("The image " + image + " still resolves to " + second.imageDigest()
                + ", which deployment " + second.id() + " already runs; nothing to switch (set build_config.always_switch to true"
                + " to switch anyway).");
        assertThat(log(third)).contains("Pulling " + image);
        assertThat(ployer.deployments().get(second.id()).status()).isEqualTo(DeploymentStatus.RUNNING);
        assertThat(ployer.applications().get(application.id()).status()).isEqualTo(io.ployer.api.application.ApplicationStatus.RUNNING);
        assertThat(PipelineFixture.containersOf(application.id())).as("the cancelled deployment started no container")
                .noneMatch(container -> third.id().equals(container.labels().get(io.ployer.spi.runtime.ContainerRuntime.LABEL_DEPLOYMENT)));
        assertThat(CADDY.fixture().version(application.name())).isEqualTo("200 moving-v2");

        Deployment rollback = ployer.deployments().awaitCompletion(ployer.deployments().rollback(first.id()).id(), DEPLOY_TIMEOUT);
        assertThat(rollback.status()).as(rollback.failureReason() + "\n" + log(rollback)).isEqualTo(DeploymentStatus.RUNNING);
        assertThat(rollback.imageDigest()).isEqualTo(first.imageDigest());
        assertThat(CADDY.fixture().version(application.name())).isEqualTo("200 moving-v1");

        // always_switch: the same digest switches anyway.
        Application always = ployer.applications().create(ApplicationSpec.named("img-always-" + UUID.randomUUID().toString().substring(0, 8))
                .withBuild("image", Map.of("image", image, "always_switch", "true")));
        applications.add(always.id());
        Deployment once = deployAndWait(always);
        Deployment twice = deployAndWait(always);
        assertThat(once.status()).isEqualTo(DeploymentStatus.RUNNING);
        assertThat(twice.status()).as(twice.failureReason() + "\n" + log(twice)).isEqualTo(DeploymentStatus.RUNNING);
        assertThat(twice.imageDigest()).isEqualTo(once.imageDigest()).isEqualTo(second.imageDigest());
        assertThat(ployer.deployments().get(once.id()).status()).isEqualTo(DeploymentStatus.SUPERSEDED);
    }

    @Test
    void aMissingImageFailsWithAClearReason() throws Exception {
        registry = RegistryProcess.start(data.resolve("registry"), null, null);
        String image = registry.host() + "/ployer-it/absent:1";
        ployer = CADDY.fixture().start(data.resolve("engine"));
        Application application = createImageApp(image);

        Deployment deployment = deployAndWait(application);

        assertThat(deployment.status()).isEqualTo(DeploymentStatus.FAILED);
        assertThat(deployment.failureReason()).isEqualTo("The image " + image + " could not be pulled: not found.");
        assertThat(PipelineFixture.containersOf(application.id())).isEmpty();
    }
}
