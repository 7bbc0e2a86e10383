package io.ployer.engine.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ployer.api.Ployer;
import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.api.application.Application;
import io.ployer.api.application.ApplicationSpec;
import io.ployer.api.deployment.Deployment;
import io.ployer.api.deployment.DeploymentLogLine;
import io.ployer.api.deployment.DeploymentRequest;
import io.ployer.api.deployment.DeploymentStatus;
import io.ployer.api.registry.Registry;
import io.ployer.api.registry.RegistrySpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Build-then-push against a real registry behind basic auth (Debian's docker-registry on loopback):
 * the built image is pushed with the configured registry's credentials before it starts, the registry
 * lists the tags, and another application deploys the pushed image from it; a refused push fails the
 * deployment with a sentence.
 */
class RegistryPushIT {
    static final Duration DEPLOY_TIMEOUT = Duration.ofMinutes(3);
    @RegisterExtension
    static final SharedCaddy CADDY = new SharedCaddy();

    @TempDir
    Path data;
    final List<String> applications = new ArrayList<>();
    Ployer ployer;
    RegistryProcess registry;


    @AfterEach
    void cleanUp() {
        if (ployer != null) {
            ployer.close();
        }
        applications.forEach(PipelineFixture::removeEverythingOf);
        if (registry != null) {
            registry.close();
        }
    }

    private Deployment deployAndWait(Application application) throws InterruptedException {
        Deployment deployment = ployer.deployments().deploy(DeploymentRequest.of(application.id()));
        return ployer.deployments().awaitCompletion(deployment.id(), DEPLOY_TIMEOUT);
    }

    private String log(Deployment deployment) {
        return String.join("\n", ployer.deployments().logs(deployment.id()).stream().map(DeploymentLogLine::line).toList());
    }

    private String tags(String repository, String username, String password) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://" + registry.host() + "/v2/" + repository + "/tags/list"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((username + ":" + password)
                        .getBytes(StandardCharsets.UTF_8))).GET().build(), HttpResponse.BodyHandlers.ofString());
        return response.statusCode() + " " + response.body();
    }

    @Test
    void aBuiltImageIsPushedWithTheRegistrysCredentialsAndDeploysFromThere() throws Exception {
        String password = "pw-" + UUID.randomUUID();
        registry = RegistryProcess.start(data.resolve("registry"), "pusher", password);
        ployer = CADDY.fixture().start(data.resolve("engine"));
        Registry configured = ployer.registries().create(new RegistrySpec(registry.host(), "pusher", "wrong-" + password));
        Path directory = data.resolve("repo");
        AppRepository repository = AppRepository.create(directory);
        repository.commitVersion("pushed-v1", "");
        String name = "push-" + UUID.randomUUID().toString().substring(0, 8);
        Application application = ployer.applications().create(ApplicationSpec.named(name).withGit(repository.url(), "main"));
        applications.add(application.id());
        ployer.registries().setPushTarget(application.id(), configured.id(), "ployer-it/" + name);

        // The registry refuses the wrong password: the deployment fails before anything starts.
        Deployment refused = deployAndWait(application);
        assertThat(refused.status()).isEqualTo(DeploymentStatus.FAILED);
        assertThat(refused.failureReason()).as(log(refused)).contains("could not be pushed: the registry " + registry.host()
                + " refused access");
        assertThat(log(refused)).doesNotContain(password);
        assertThat(PipelineFixture.containersOf(application.id())).isEmpty();

        ployer.registries().update(configured.id(), new RegistrySpec(null, null, password));
        Deployment deployment = deployAndWait(application);
        assertThat(deployment.status()).as(deployment.failureReason() + "\n" + log(deployment)).isEqualTo(DeploymentStatus.RUNNING);
        String pushed = registry.host() + "/ployer-it/" + name;
        assertThat(log(deployment)).contains("Pushing " + pushed + ":" + deployment.id() + " with the credentials configured for "
                + registry.host()).containsPattern("Pushed " + java.util.regex.Pattern.quote(pushed + ":" + deployment.id())
                + " and :latest \\(sha256:[0-9a-f]{64}\\)").doesNotContain(password);
        assertThat(CADDY.fixture().version(name)).isEqualTo("200 pushed-v1");
        assertThat(tags("ployer-it/" + name, "pusher", password)).startsWith("200 ").contains(deployment.id()).contains("latest");

        // Another application runs the pushed image, pulled from the registry with the same credentials.
        try (var docker = PipelineFixture.docker()) {
            docker.removeImage(pushed + ":latest");
            docker.removeImage(pushed + ":" + deployment.id());
        }
        Application consumer = ployer.applications().create(ApplicationSpec.named("pulled-" + name)
                .withBuild("image", Map.of("image", pushed + ":latest")));
        applications.add(consumer.id());
        Deployment pulled = deployAndWait(consumer);
        assertThat(pulled.status()).as(pulled.failureReason() + "\n" + log(pulled)).isEqualTo(DeploymentStatus.RUNNING);
        assertThat(log(pulled)).contains("Pulling " + pushed + ":latest with the credentials configured for " + registry.host());
        assertThat(CADDY.fixture().version("pulled-" + name)).isEqualTo("200 pushed-v1");

        // A registry in use cannot be deleted.
        assertThatThrownBy(() -> ployer.registries().delete(configured.id())).isInstanceOf(PloyerException.class)
                .extracting(e -> ((PloyerException) e).code()).isEqualTo(StandardErrorCode.CONFLICT);
        ployer.registries().clearPushTarget(application.id());
        assertThat(ployer.registries().pushTarget(application.id())).isEmpty();
        ployer.registries().delete(configured.id());
        assertThat(ployer.registries().list()).isEmpty();
    }
}
