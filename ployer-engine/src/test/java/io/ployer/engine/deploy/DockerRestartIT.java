package io.ployer.engine.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.ployer.api.Ployer;
import io.ployer.api.application.Application;
import io.ployer.api.application.ApplicationSpec;
import io.ployer.api.deployment.Deployment;
import io.ployer.api.deployment.DeploymentRequest;
import io.ployer.api.deployment.DeploymentStatus;
import io.ployer.api.event.PloyerEvent;
import io.ployer.testkit.Environment;
import io.ployer.plugin.caddy.testing.CaddyProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * dockerd restarted during a build: the deployment ends FAILED with a reason that names the
 * container engine (not "returned a non-zero code: 137"), and the previous version is served again.
 * One test restarts a private dockerd of its own (needs root), the other the machine's dockerd. Both
 * disturb other tests on the machine (the private one is started with {@code --bridge=none}, and
 * dockerd then deletes the host's {@code docker0} bridge), so both run only with
 * {@code PLOYER_DISRUPTIVE_TESTS=true}. The reason mapping itself is unit-tested in FailureReasonsTest.
 */
class DockerRestartIT {
    @TempDir
    Path data;

    @Test
    void aDockerdRestartDuringTheBuildIsNamedInTheReason() throws Exception {
        Assumptions.assumeTrue("true".equals(System.getenv("PLOYER_DISRUPTIVE_TESTS")),
                "restarts the machine's dockerd: set PLOYER_DISRUPTIVE_TESTS=true to run it");
        Environment.requireDocker();
        try (CaddyProcess caddy = CaddyProcess.start(data.resolve("caddy"))) {
            PipelineFixture fixture = new PipelineFixture(caddy);
            AppRepository repository = AppRepository.create(data.resolve("repo"));
            repository.commitVersion("v1", "");
            String applicationId = null;
            try (Ployer ployer = fixture.start(data.resolve("engine"))) {
                Application application = ployer.applications().create(ApplicationSpec.named("dockerd-restart")
                        .withGit(repository.url(), "main"));
                applicationId = application.id();
                Deployment first = ployer.deployments().awaitCompletion(
                        ployer.deployments().deploy(DeploymentRequest.of(applicationId)).id(), Duration.ofMinutes(3));
                assertThat(first.status()).isEqualTo(DeploymentStatus.RUNNING);

                repository.commitVersion("v2", "RUN echo slow build starts && sleep 60");
                CountDownLatch buildStarted = new CountDownLatch(1);
                java.util.concurrent.BlockingQueue<String> failureEvents = new java.util.concurrent.LinkedBlockingQueue<>();
                ployer.events().subscribe(event -> {
                    if (event instanceof PloyerEvent.DeploymentLogged logged && logged.line().line().contains("slow build starts")) {
                        buildStarted.countDown();
                    }
                    if (event instanceof PloyerEvent.DeploymentStatusChanged changed && changed.to() == DeploymentStatus.FAILED) {
                        failureEvents.add(String.valueOf(changed.reason()));
                    }
                });
                String second = ployer.deployments().deploy(DeploymentRequest.of(applicationId)).id();
                assertThat(buildStarted.await(3, TimeUnit.MINUTES)).isTrue();
                restartDockerd();

                Deployment failed = ployer.deployments().awaitCompletion(second, Duration.ofMinutes(3));
                assertThat(failed.status()).isEqualTo(DeploymentStatus.FAILED);
                assertThat(failed.failureReason()).contains("container engine").containsAnyOf("restarted", "unreachable")
                        .doesNotContain("non-zero code: 137");
                // The event that says the deployment failed names the cause too.
                assertThat(failureEvents.poll(60, TimeUnit.SECONDS)).isEqualTo(failed.failureReason());
                // The previous version's container comes back with dockerd (its restart policy); the reconciler routes it.
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                String version = "";
                while (System.nanoTime() < deadline && !(version = safeVersion(fixture, application.name())).equals("200 v1")) {
                    Thread.sleep(200);
                }
                assertThat(version).isEqualTo("200 v1");
            } finally {
                if (applicationId != null) {
                    PipelineFixture.removeEverythingOf(applicationId);
                }
            }
        }
    }

    /**
     * The same fault, without disturbing anyone: a second dockerd of this test's own (own socket,
     * data-root, exec-root and pidfile, {@code --bridge=none --iptables=false}) is restarted while it
     * builds. Needs root and a {@code dockerd} binary; skipped (with the reason) otherwise.
     */
    @Test
    void aRestartOfAPrivateDockerdDuringTheBuildIsNamedInTheReason() throws Exception {
        // Disruptive too: a dockerd started with --bridge=none deletes the host's docker0 bridge at start
        // (dockerd's removeDefaultBridgeInterface), which breaks every container network of the machine's dockerd.
        Assumptions.assumeTrue("true".equals(System.getenv("PLOYER_DISRUPTIVE_TESTS")),
                "a second dockerd with --bridge=none removes the host's docker0: set PLOYER_DISRUPTIVE_TESTS=true to run it");
        Environment.requireDocker();
        try (PrivateDockerd dockerd = PrivateDockerd.start(Path.of("/tmp", "ployer-it-dockerd-" + ProcessHandle.current().pid()))) {
            AppRepository repository = AppRepository.create(data.resolve("repo"));
            repository.commitVersion("v1", "RUN echo slow build starts && sleep 60");
            try (Ployer ployer = Ployer.builder().dataDirectory(data.resolve("engine")).config("git.allow-file-urls", "true")
                    .config("runtime", "docker").config("runtime.host", dockerd.host()).build()) {
                ployer.start();
                Application application = ployer.applications().create(ApplicationSpec.named("private-dockerd")
                        .withGit(repository.url(), "main"));
                CountDownLatch buildStarted = new CountDownLatch(1);
                java.util.concurrent.BlockingQueue<String> failureEvents = new java.util.concurrent.LinkedBlockingQueue<>();
                ployer.events().subscribe(event -> {
                    if (event instanceof PloyerEvent.DeploymentLogged logged && logged.line().line().contains("slow build starts")) {
                        buildStarted.countDown();
                    }
                    if (event instanceof PloyerEvent.DeploymentStatusChanged changed && changed.to() == DeploymentStatus.FAILED) {
                        failureEvents.add(String.valueOf(changed.reason()));
                    }
                });
                String id = ployer.deployments().deploy(DeploymentRequest.of(application.id())).id();
                assertThat(buildStarted.await(3, TimeUnit.MINUTES)).isTrue();
                dockerd.restart();

                Deployment failed = ployer.deployments().awaitCompletion(id, Duration.ofMinutes(3));
                assertThat(failed.status()).isEqualTo(DeploymentStatus.FAILED);
                assertThat(failed.failureReason()).contains("container engine").containsAnyOf("restarted", "unreachable")
                        .doesNotContain("non-zero code: 137");
                // The event that says the deployment failed names the cause too.
                assertThat(failureEvents.poll(60, TimeUnit.SECONDS)).isEqualTo(failed.failureReason());
            }
        }
    }

    /** A dockerd of the test's own, beside the machine's. */
    private static final class PrivateDockerd implements AutoCloseable {
        private final Path directory;
        private Process process;

        private PrivateDockerd(Path directory) {
            this.directory = directory;
        }

        static PrivateDockerd start(Path directory) throws Exception {
            boolean root = "root".equals(System.getProperty("user.name"));
            boolean binary = new ProcessBuilder("sh", "-c", "command -v dockerd").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor() == 0;
            if (!root || !binary) {
                String reason = "a private dockerd needs root and the dockerd binary";
                if ("true".equals(System.getenv(Environment.REQUIRE_VARIABLE))) {
                    org.junit.jupiter.api.Assertions.fail(reason);
                }
                Assumptions.abort(reason);
            }
            Files.createDirectories(directory);
            PrivateDockerd dockerd = new PrivateDockerd(directory);
            dockerd.launch();
            // Its image store is its own: give it the local base image from the machine's dockerd.
            int loaded = new ProcessBuilder("sh", "-c", "docker save ployer/busybox:latest | docker -H " + dockerd.host() + " load")
                    .redirectErrorStream(true).redirectOutput(directory.resolve("load.log").toFile()).start().waitFor();
            if (loaded != 0) {
                dockerd.close();
                throw new AssertionError("could not load ployer/busybox into the private dockerd: "
                        + Files.readString(directory.resolve("load.log")));
            }
            return dockerd;
        }

        String host() {
            return "unix://" + directory.resolve("docker.sock");
        }

        private void launch() throws Exception {
            process = new ProcessBuilder("dockerd", "--host", host(), "--data-root", directory.resolve("root").toString(),
                    "--exec-root", directory.resolve("exec").toString(), "--pidfile", directory.resolve("docker.pid").toString(),
                    "--bridge=none", "--iptables=false").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(directory.resolve("dockerd.log").toFile())).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                if (new ProcessBuilder("docker", "-H", host(), "info").redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor() == 0) {
                    return;
                }
                if (!process.isAlive()) {
                    break;
                }
                Thread.sleep(200);
            }
            throw new AssertionError("the private dockerd did not answer: " + Files.readString(directory.resolve("dockerd.log")));
        }

        /** SIGTERM (what a service restart sends), wait for it to exit, start it again. */
        void restart() throws Exception {
            stop();
            launch();
        }

        private void stop() throws InterruptedException {
            if (process != null && process.isAlive()) {
                process.destroy();
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                }
            }
        }

        @Override
        public void close() throws java.io.IOException {
            try {
                stop();
                new ProcessBuilder("rm", "-rf", directory.toString()).start().waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static String safeVersion(PipelineFixture fixture, String name) {
        try {
            return fixture.version(name);
        } catch (AssertionError notYet) {
            return "";
        }
    }

    /** Stops dockerd (SIGTERM, as a service restart does) and starts it again as scripts/provision-test-env.sh does. */
    private static void restartDockerd() throws Exception {
        Path pidFile = Path.of("/var/run/docker.pid");
        String pid = Files.readString(pidFile).strip();
        new ProcessBuilder("kill", "-TERM", pid).inheritIO().start().waitFor();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && Files.exists(Path.of("/proc", pid))) {
            Thread.sleep(100);
        }
        new ProcessBuilder(List.of("sh", "-c", "nohup dockerd >>/var/log/ployer-dockerd.log 2>&1 &")).inheritIO().start().waitFor();
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (new ProcessBuilder("docker", "info").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start().waitFor() == 0) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("dockerd did not come back within 60 s");
    }
}
