package io.ployer.engine.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.ployer.api.Ployer;
import io.ployer.api.application.Application;
import io.ployer.api.application.ApplicationSpec;
import io.ployer.api.application.ConfigFile;
import io.ployer.api.deployment.Deployment;
import io.ployer.api.deployment.DeploymentLogLine;
import io.ployer.api.deployment.DeploymentRequest;
import io.ployer.api.deployment.DeploymentStatus;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Persistent configuration files on a real dockerd behind Caddy: the container reads the file at its
 * path (served by the app's httpd), a changed file reaches the next deployment, the mount is
 * read-only, and the database holds the content only encrypted.
 */
class ConfigFileIT {
    static final Duration DEPLOY_TIMEOUT = Duration.ofMinutes(3);
    @RegisterExtension
    static final SharedCaddy CADDY = new SharedCaddy();

    @TempDir
    Path data;
    final List<String> applications = new ArrayList<>();
    Ployer ployer;


    @AfterEach
    void cleanUp() {
        if (ployer != null) {
            ployer.close();
        }
        applications.forEach(PipelineFixture::removeEverythingOf);
    }

    private Deployment deployAndWait(Application application) throws InterruptedException {
        Deployment deployment = ployer.deployments().deploy(DeploymentRequest.of(application.id()));
        return ployer.deployments().awaitCompletion(deployment.id(), DEPLOY_TIMEOUT);
    }

    private String log(Deployment deployment) {
        return String.join("\n", ployer.deployments().logs(deployment.id()).stream().map(DeploymentLogLine::line).toList());
    }

    private String served(String app, String path) {
        HttpResponse<String> response = CADDY.fixture().get(app, path);
        return response.statusCode() + " " + response.body().strip();
    }

    @Test
    void theContainerReadsItsConfigurationFileAndTheNextDeploymentTheNewContent() throws Exception {
        ployer = CADDY.fixture().start(data.resolve("engine"));
        Path directory = data.resolve("repo");
        AppRepository repository = AppRepository.create(directory);
        // The app writes into /www at start; the file mounted read-only there must refuse the write.
        repository.commit("files-v1", "FROM ployer/busybox:latest\nCOPY version.txt /www/version.txt\n"
                + "CMD [\"sh\", \"-c\", \"(echo overwritten > /www/settings.ini) 2>/dev/null && echo writable > /www/mount.txt"
                + " || echo read-only > /www/mount.txt; exec httpd -f -p 8080 -h /www\"]\n");
        String name = "files-" + UUID.randomUUID().toString().substring(0, 8);
        Application application = ployer.applications().create(ApplicationSpec.named(name).withGit(repository.url(), "main"));
        applications.add(application.id());
        String secretLine = "token = " + UUID.randomUUID();
        ConfigFile file = ployer.files().putFile(application.id(), "/www/settings.ini", "[app]\n" + secretLine + "\n");
        assertThat(file.size()).isEqualTo(("[app]\n" + secretLine + "\n").getBytes(StandardCharsets.UTF_8).length);

        Deployment first = deployAndWait(application);
        assertThat(first.status()).as(first.failureReason() + "\n" + log(first)).isEqualTo(DeploymentStatus.RUNNING);
        assertThat(served(name, "/settings.ini")).isEqualTo("200 [app]\n" + secretLine);
        assertThat(served(name, "/mount.txt")).isEqualTo("200 read-only");

        // Replacing the content keeps the id; the next deployment mounts the new content.
        ConfigFile replaced = ployer.files().putFile(application.id(), "/www/settings.ini", "[app]\nmode = second\n");
        assertThat(replaced.id()).isEqualTo(file.id());
        assertThat(ployer.files().files(application.id())).hasSize(1);
        Deployment second = deployAndWait(application);
        assertThat(second.status()).as(second.failureReason() + "\n" + log(second)).isEqualTo(DeploymentStatus.RUNNING);
        assertThat(served(name, "/settings.ini")).isEqualTo("200 [app]\nmode = second");

        // Removed: the next deployment no longer has it.
        ployer.files().removeFile(application.id(), file.id());
        Deployment third = deployAndWait(application);
        assertThat(third.status()).as(third.failureReason() + "\n" + log(third)).isEqualTo(DeploymentStatus.RUNNING);
        assertThat(served(name, "/settings.ini")).isEqualTo("200 overwritten");

        // The plaintext is in no file of the engine's data directory once no running deployment mounts it.
        Path engineData = data.resolve("engine");
        try (Stream<Path> files = Files.walk(engineData)) {
            for (Path path : files.filter(Files::isRegularFile).toList()) {
                String text = new String(Files.readAllBytes(path), StandardCharsets.ISO_8859_1);
                assertThat(text).as(path.toString()).doesNotContain(secretLine);
            }
        }
    }
}
