package io.ployer.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.ployer.api.deployment.Deployment;
import io.ployer.api.deployment.DeploymentStatus;
import io.ployer.spi.PloyerPlugin;
import io.ployer.spi.plugin.PluginContext;
import io.ployer.api.container.ContainerInfo;
import io.ployer.spi.runtime.ContainerRuntime;
import io.ployer.testkit.Environment;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.ServiceLoader;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the README's embedding example against the real dockerd and checks the app answers. */
class ReadmeExampleIT {
    @TempDir
    Path directory;

    @Test
    void theReadmeExampleDeploysAnAppThatAnswers() throws Exception {
        Environment.requireDocker();
        Path repository = directory.resolve("hello");
        try (Git git = Git.init().setDirectory(repository.toFile()).setInitialBranch("main").call()) {
            Files.writeString(repository.resolve("Dockerfile"), "FROM ployer/busybox:latest\n"
                    + "CMD [\"sh\", \"-c\", \"mkdir -p /www && echo \\\"$GREETING\\\" > /www/index.html && exec httpd -f -p 8080 -h /www\"]\n");
            git.add().addFilepattern(".").call();
            git.commit().setMessage("hello").setAuthor("Ada", "ada@example.com").setCommitter("Ada", "ada@example.com").call();
        }
        Deployment deployment = ReadmeExample.deploy(directory.resolve("data"), repository.toUri().toString());
        try {
            assertThat(deployment.status()).isEqualTo(DeploymentStatus.RUNNING);
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://" + deployment.endpoint() + "/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.body().strip()).isEqualTo("hello from Ployer");
        } finally {
            try (ContainerRuntime docker = dockerRuntime()) {
                for (ContainerInfo container : docker.listContainers(Map.of(ContainerRuntime.LABEL_APP, deployment.applicationId()), true)) {
                    docker.removeContainer(container.id(), true);
                }
                if (deployment.imageRef() != null) {
                    docker.removeImage(deployment.imageRef());
                }
            }
        }
    }

    private static ContainerRuntime dockerRuntime() {
        return ServiceLoader.load(PloyerPlugin.class).stream().map(ServiceLoader.Provider::get)
                .flatMap(plugin -> plugin.containerRuntimeFactories().stream())
                .filter(factory -> factory.name().equals("docker")).findFirst().orElseThrow()
                .create(Map.of(), new PluginContext() {
                });
    }
}
