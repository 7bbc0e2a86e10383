package io.ployer.examples;

import io.ployer.api.Ployer;
import io.ployer.api.application.Application;
import io.ployer.api.application.ApplicationSpec;
import io.ployer.api.deployment.Deployment;
import io.ployer.api.deployment.DeploymentRequest;
import java.nio.file.Path;
import java.time.Duration;

/** The embedding example of the README, kept here so it compiles and a test runs it. */
public final class ReadmeExample {
    private ReadmeExample() {
    }

    /** Deploys the repository at {@code gitUrl} (a Dockerfile app on port 8080) and returns its deployment. */
    public static Deployment deploy(Path dataDirectory, String gitUrl) throws InterruptedException {
        // --- README example: begin
        try (Ployer ployer = Ployer.builder()
                .dataDirectory(dataDirectory)
                .config("git.allow-file-urls", "true")   // local repositories are fine for this example
                .build()) {
            ployer.start();
            Application app = ployer.applications().create(ApplicationSpec.named("hello").withGit(gitUrl, "main"));
            ployer.applications().setEnvVar(app.id(), "GREETING", "hello from Ployer", false);
            Deployment deployment = ployer.deployments().deploy(DeploymentRequest.of(app.id()));
            deployment = ployer.deployments().awaitCompletion(deployment.id(), Duration.ofMinutes(5));
            System.out.println(deployment.status() + " at http://" + deployment.endpoint());
            // --- README example: end
            return deployment;
        }
    }
}
