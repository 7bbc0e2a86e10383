package io.ployer.engine.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.ployer.api.Ployer;
import io.ployer.api.application.Application;
import io.ployer.api.application.ApplicationSpec;
import io.ployer.api.application.ApplicationStatus;
import io.ployer.api.deployment.Deployment;
import io.ployer.api.deployment.DeploymentRequest;
import io.ployer.api.deployment.DeploymentStatus;
import io.ployer.api.event.PloyerEvent;
import io.ployer.api.health.HealthCheck;
import io.ployer.api.health.HealthStatus;
import io.ployer.api.server.Server;
import io.ployer.api.server.ServerSpec;
import io.ployer.api.server.ServerStatus;
import io.ployer.api.container.ContainerInfo;
import io.ployer.spi.runtime.ContainerRuntime;
import io.ployer.api.container.ResourceSample;
import io.ployer.testkit.Environment;
import io.ployer.testkit.FreePorts;
import io.ployer.plugin.caddy.testing.CaddyProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deploying to a remote server for real: Debian's sshd on loopback, the second Docker Engine behind
 * it (scripts/provision-test-env.sh), Docker's API spoken over {@code docker system dial-stdio} in
 * SSH exec channels and the server's own Caddy driven through the SSH connection. The app lands on
 * the second engine and not on this machine's, is served by the server's Caddy (not the local one),
 * is redeployed under load with no failed request, gives its logs and stats, and when sshd stops it
 * becomes UNKNOWN (not FAILED, not restarted) and comes back when sshd does.
 */
@SuppressWarnings("try") // resources held open for their side effect (a subscription, the remote host)
class RemoteDeployIT {
    private static final String DOMAIN = "apps.test";
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path data;

    @Test
    void deploysToTheRemoteServerAndItsCaddyOverSsh() throws Exception {
        Environment.requireImage("ployer/busybox:latest");
        Environment.requireCaddy();
        Path repository = data.resolve("repo");
        commit(repository, "v1");
        int remoteHttp = FreePorts.next();
        String applicationId = null;
        try (RemoteHost remote = RemoteHost.start(); CaddyProcess localCaddy = CaddyProcess.start(data.resolve("caddy"))) {
            Map<String, String> config = new LinkedHashMap<>();
            config.put("git.allow-file-urls", "true");
            config.put("domains.base", DOMAIN);
            config.put("proxy", "caddy");
            config.put("proxy.admin-address", localCaddy.adminAddress());
            config.put("proxy.http-port", String.valueOf(localCaddy.httpPort()));
            config.put("proxy.listen-host", "127.0.0.1");
            config.put("proxy.http-only", "true");
            config.put("deploy.drain-period", "1s");
            config.put("deploy.stop-timeout", "2s");
            config.put("reconcile.interval", "500ms");
            config.put("servers.remote-deploy", "true");
            config.put("servers.probe-interval", "300ms");
            config.put("servers.proxy-image", "ployer/caddy-static:latest");
            config.put("servers.proxy-admin-port", String.valueOf(FreePorts.next()));
            config.put("servers.proxy-http-port", String.valueOf(remoteHttp));
            config.put("servers.proxy-listen-host", "127.0.0.1");
            config.put("servers.proxy-http-only", "true");
            try (Ployer ployer = Ployer.builder().dataDirectory(data.resolve("engine")).config(config).build();
                 ContainerRuntime second = RemoteHost.secondEngine(); ContainerRuntime first = RemoteHost.firstEngine()) {
                ployer.start();
                Server server = ployer.servers().create(new ServerSpec("remote", "127.0.0.1", remote.port(), RemoteHost.USER,
                        remote.privateKey()));
                assertThat(ployer.servers().validate(server.id()).status()).as(remote.log()).isEqualTo(ServerStatus.ONLINE);
                ApplicationSpec named = ApplicationSpec.named("far-app").withGit(repository.toUri().toString(), "main");
                Application application = ployer.applications().create(new ApplicationSpec(named.name(), server.id(),
                        named.gitUrl(), named.branch(), null, null, 8080, null, null, null));
                applicationId = application.id();
                ployer.health().configure(new HealthCheck(application.id(), "/version.txt", 200, 299, Duration.ofSeconds(1),
                        Duration.ofSeconds(1), 1, 2, 3, Duration.ZERO, true));

                Deployment first1 = deploy(ployer, application.id());
                assertThat(first1.status()).as(String.valueOf(first1.failureReason())).isEqualTo(DeploymentStatus.RUNNING);
                // It runs on the second engine, not on this machine's.
                List<ContainerInfo> there = second.listContainers(Map.of(ContainerRuntime.LABEL_APP, application.id()), false);
                assertThat(there).extracting(ContainerInfo::id).containsExactly(first1.containerId());
                assertThat(first.listContainers(Map.of(ContainerRuntime.LABEL_APP, application.id()), true)).isEmpty();
                assertThat(first.imageExists(first1.imageRef())).isFalse();
                assertThat(second.imageExists(first1.imageRef())).isTrue();
                assertThat(second.listContainers(Map.of(RemoteCaddy.LABEL_PROXY, "caddy"), false)).hasSize(1);
                // Served by the server's Caddy; the local Caddy has no route for it.
                assertThat(get(remoteHttp, "far-app")).isEqualTo("200 v1");
                assertThat(get(localCaddy.httpPort(), "far-app")).doesNotEndWith("v1");

                // Logs and stats come from the server.
                assertThat(ployer.containers().logs(first1.containerId(), 50)).anyMatch(line -> line.contains("far-app v1 starting"));
                ResourceSample sample = ployer.containers().stats(first1.containerId());
                assertThat(sample.memoryUsedBytes()).isPositive();

                // Redeploy under load through the server's Caddy: no request fails.
                commit(repository, "v2");
                Load load = new Load(remoteHttp, "far-app");
                load.start();
                Deployment second2 = deploy(ployer, application.id());
                load.awaitVersion("v2");
                load.stop();
                System.out.println("MEASURED remote redeploy under load: " + load.total.get() + " requests, "
                        + load.failed.get() + " failed");
                assertThat(second2.status()).as(String.valueOf(second2.failureReason())).isEqualTo(DeploymentStatus.RUNNING);
                assertThat(load.failed.get()).as("failed requests; first failure: " + load.firstFailure).isZero();
                assertThat(load.total.get()).isGreaterThan(20);
                assertThat(second.listContainers(Map.of(ContainerRuntime.LABEL_APP, application.id()), true))
                        .extracting(ContainerInfo::id).contains(second2.containerId());
                awaitStopped(second, first1.containerId()); // drained on the server after the switch

                // sshd goes away: the app is UNKNOWN, not FAILED, and nothing is restarted; back, it is healthy again.
                awaitHealthy(ployer, application.id());
                ContainerInfo before = second.inspectContainer(second2.containerId()).orElseThrow();
                awaitHealth(ployer, application.id(), HealthStatus.UNKNOWN, remote::stopSshd);
                assertThat(ployer.servers().find(server.id()).orElseThrow().status()).isEqualTo(ServerStatus.OFFLINE);
                assertThat(ployer.applications().get(application.id()).status()).isEqualTo(ApplicationStatus.RUNNING);
                assertThat(ployer.deployments().get(second2.id()).status()).isEqualTo(DeploymentStatus.RUNNING);
                awaitHealth(ployer, application.id(), HealthStatus.HEALTHY, remote::startSshd);
                ContainerInfo after = second.inspectContainer(second2.containerId()).orElseThrow();
                assertThat(after.startedAt()).isEqualTo(before.startedAt());
                assertThat(after.restarts()).isEqualTo(before.restarts());
                assertThat(ployer.servers().find(server.id()).orElseThrow().status()).isEqualTo(ServerStatus.ONLINE);
                assertThat(get(remoteHttp, "far-app")).isEqualTo("200 v2");

                // A new control plane on the same data reconciles with the server: still served, and when the
                // server's Caddy restarts empty the reconciler pushes the route there again (same Caddy container).
                ployer.close();
                try (Ployer again = Ployer.builder().dataDirectory(data.resolve("engine")).config(config).build()) {
                    again.start();
                    assertThat(get(remoteHttp, "far-app")).isEqualTo("200 v2");
                    ContainerInfo caddy = second.listContainers(Map.of(RemoteCaddy.LABEL_PROXY, "caddy"), false).get(0);
                    second.restartContainer(caddy.id(), Duration.ofSeconds(5));
                    awaitServed(remoteHttp, "far-app", "200 v2");
                    assertThat(second.listContainers(Map.of(RemoteCaddy.LABEL_PROXY, "caddy"), true))
                            .extracting(ContainerInfo::id).containsExactly(caddy.id());
                    assertThat(again.containers().logs(second2.containerId(), 50)).anyMatch(line -> line.contains("far-app v2 starting"));

                    // Moved to this machine: deployed and served here, the server's Caddy drops the route and its
                    // container is drained there.
                    again.applications().update(application.id(), new ApplicationSpec(null, again.servers().local().id(),
                            null, null, null, null, null, null, null, null));
                    Deployment moved = deploy(again, application.id());
                    assertThat(moved.status()).as(String.valueOf(moved.failureReason())).isEqualTo(DeploymentStatus.RUNNING);
                    assertThat(first.listContainers(Map.of(ContainerRuntime.LABEL_APP, application.id()), false))
                            .extracting(ContainerInfo::id).containsExactly(moved.containerId());
                    assertThat(get(localCaddy.httpPort(), "far-app")).isEqualTo("200 v2");
                    assertThat(get(remoteHttp, "far-app")).doesNotEndWith("v2");
                    awaitStopped(second, second2.containerId());
                }
            } finally {
                if (applicationId != null) {
                    cleanUp(applicationId);
                }
            }
        }
    }

    /** Runs {@code action}, then waits for the application's health to change to {@code status}. */
    private static void awaitHealth(Ployer ployer, String applicationId, HealthStatus status, Step action) throws Exception {
        CountDownLatch reached = new CountDownLatch(1);
        try (var subscription = ployer.events().subscribe(event -> event instanceof PloyerEvent.HealthChanged changed
                && changed.applicationId().equals(applicationId) && changed.to() == status, event -> reached.countDown())) {
            action.run();
            assertThat(reached.await(60, TimeUnit.SECONDS)).as("health of the app became " + status).isTrue();
        }
    }

    private void awaitServed(int port, String app, String expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String last = "";
        while (System.nanoTime() < deadline) {
            last = get(port, app);
            if (last.equals(expected)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("not served again: " + last);
    }

    /** Waits until the container is stopped or gone. */
    private static void awaitStopped(ContainerRuntime runtime, String containerId) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (runtime.inspectContainer(containerId).map(info -> !info.running()).orElse(true)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the old container " + containerId + " still runs");
    }

    /** Waits until the monitor's newest result for the application is HEALTHY. */
    private static void awaitHealthy(Ployer ployer, String applicationId) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (ployer.health().results(applicationId, 1).stream().anyMatch(result -> result.status() == HealthStatus.HEALTHY)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the application did not become healthy");
    }

    @FunctionalInterface
    private interface Step {
        void run() throws Exception;
    }

    private static Deployment deploy(Ployer ployer, String applicationId) throws InterruptedException {
        return ployer.deployments().awaitCompletion(ployer.deployments().deploy(DeploymentRequest.of(applicationId)).id(),
                Duration.ofMinutes(3));
    }

    private String get(int port, String app) throws InterruptedException {
        try {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/version.txt"))
                    .header("Host", app + "." + DOMAIN).timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() + " " + response.body().strip();
        } catch (IOException e) {
            return "no answer: " + e;
        }
    }

    /** Requests in a loop through a Caddy, counting every answer that is not a 200 with a version. */
    private final class Load {
        final AtomicLong total = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final AtomicBoolean running = new AtomicBoolean(true);
        volatile String firstFailure;
        volatile String lastVersion = "";
        private final Thread thread;

        Load(int port, String app) {
            thread = new Thread(() -> {
                while (running.get()) {
                    try {
                        String answer = get(port, app);
                        total.incrementAndGet();
                        if (answer.startsWith("200 v")) {
                            lastVersion = answer.substring(4);
                        } else {
                            failed.incrementAndGet();
                            if (firstFailure == null) {
                                firstFailure = answer;
                            }
                        }
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "load");
        }

        void start() {
            thread.start();
        }

        void awaitVersion(String version) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!lastVersion.equals(version) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            long more = total.get() + 20;
            while (total.get() < more && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join(30_000);
        }
    }

    /** A git repository of a tiny web app on the busybox image that says its version and logs a start line. */
    private static void commit(Path directory, String version) throws Exception {
        Files.createDirectories(directory);
        try (Git git = Files.exists(directory.resolve(".git")) ? Git.open(directory.toFile())
                : Git.init().setDirectory(directory.toFile()).setInitialBranch("main").call()) {
            Files.writeString(directory.resolve("version.txt"), version + "\n");
            Files.writeString(directory.resolve("Dockerfile"), "FROM ployer/busybox:latest\n"
                    + "COPY version.txt /www/version.txt\n"
                    + "CMD [\"sh\", \"-c\", \"echo far-app " + version + " starting; exec httpd -f -p 8080 -h /www\"]\n");
            git.add().addFilepattern(".").call();
            git.commit().setMessage("version " + version).setAuthor("Test", "test@example.com")
                    .setCommitter("Test", "test@example.com").call();
        }
    }

    private static void cleanUp(String applicationId) {
        try (ContainerRuntime first = RemoteHost.firstEngine()) {
            for (ContainerInfo container : first.listContainers(Map.of(ContainerRuntime.LABEL_APP, applicationId), true)) {
                first.removeContainer(container.id(), true);
            }
        }
        try (ContainerRuntime second = RemoteHost.secondEngine()) {
            for (ContainerInfo container : second.listContainers(Map.of(ContainerRuntime.LABEL_APP, applicationId), true)) {
                second.removeContainer(container.id(), true);
            }
            for (ContainerInfo container : second.listContainers(Map.of(RemoteCaddy.LABEL_PROXY, "caddy"), true)) {
                second.removeContainer(container.id(), true);
            }
        }
    }
}
