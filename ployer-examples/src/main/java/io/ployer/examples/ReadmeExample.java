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

    /**
     * Deploys a local repository: {@code java … io.ployer.examples.ReadmeExample /path/to/repo [data-dir]}.
     * The repository needs a Dockerfile whose app listens on port 8080.
     */
    public static void main(String[] arguments) throws InterruptedException {
        if (arguments.length < 1) {
            System.err.println("usage: ReadmeExample <repository directory> [data directory]");
            System.exit(2);
        }
        Path repository = Path.of(arguments[0]).toAbsolutePath();
        Path data = Path.of(arguments.length > 1 ? arguments[1] : "example-data");
        Deployment deployment = deploy(data, repository.toUri().toString());
        System.exit(deployment.status() == io.ployer.api.deployment.DeploymentStatus.RUNNING ? 0 : 1);
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
