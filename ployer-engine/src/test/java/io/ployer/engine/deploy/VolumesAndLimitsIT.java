package io.ployer.engine.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ployer.api.PloyerException;
import io.ployer.api.Ployer;
import io.ployer.api.application.Application;
import io.ployer.api.application.ApplicationSpec;
import io.ployer.api.application.ResourceLimits;
import io.ployer.api.application.RestartPolicy;
import io.ployer.api.application.Volume;
import io.ployer.api.application.VolumeSpec;
import io.ployer.api.deployment.Deployment;
import io.ployer.api.deployment.DeploymentLogLine;
import io.ployer.api.deployment.DeploymentRequest;
import io.ployer.api.deployment.DeploymentStatus;
import io.ployer.api.container.ContainerInfo;
import io.ployer.spi.runtime.ContainerRuntime;
import io.ployer.api.container.Mount;
import io.ployer.api.container.VolumeInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Volumes and resource limits end to end on the real dockerd and Caddy: data written by one version
 * is read by the next, through redeploys, a rollback and an engine restart; an exclusive volume
 * switches stop-then-start; limits reach the container and an OOM kill is named in the failure reason.
 */
class VolumesAndLimitsIT {
    @TempDir
    static Path shared;
    @RegisterExtension
    static final SharedCaddy CADDY = new SharedCaddy();

    @TempDir
    Path data;
    final List<String> applications = new ArrayList<>();
    final List<String> volumes = new ArrayList<>();
    Ployer ployer;


    @AfterEach
    void cleanUp() {
        if (ployer != null) {
            ployer.close();
        }
        applications.forEach(PipelineFixture::removeEverythingOf);
        try (ContainerRuntime docker = PipelineFixture.docker()) {
            volumes.forEach(docker::removeVolume);
        }
    }

    /**
     * Each start appends "start &lt;version&gt; &lt;uptime&gt;" to /data/log and each TERM "stop &lt;version&gt; &lt;uptime&gt;";
     * /www/log.txt serves the log live.
     */
    private static void commit(AppRepository repository, Path directory, String version) throws IOException {
        Files.writeString(directory.resolve("start.sh"), "V=$(cat /www/version.txt)\n"
                + "up() { cut -d' ' -f1 /proc/uptime; }\n"
                + "trap 'echo \"stop $V $(up)\" >> /data/log; exit 0' TERM\n"
                + "echo \"start $V $(up)\" >> /data/log\n"
                + "ln -sf /data/log /www/log.txt\n"
                + "httpd -f -p 8080 -h /www &\n"
                + "wait\n");
        repository.commit(version, "FROM ployer/busybox:latest\nCOPY version.txt /www/version.txt\nCOPY start.sh /start.sh\n"
                + "CMD [\"sh\", \"/start.sh\"]\n");
    }

    private Application createApp(ApplicationSpec spec) {
        Application application = ployer.applications().create(spec);
        applications.add(application.id());
        return application;
    }

    private Deployment deployAndWait(Application application) throws InterruptedException {
        return ployer.deployments().awaitCompletion(ployer.deployments().deploy(DeploymentRequest.of(application.id())).id(),
                DeploymentPipelineIT.DEPLOY_TIMEOUT);
    }

    private String log(Deployment deployment) {
        return String.join("\n", ployer.deployments().logs(deployment.id()).stream().map(DeploymentLogLine::line).toList());
    }

    private List<String> dataLog(Application application) {
        var response = CADDY.fixture().get(application.name(), "/log.txt");
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body().lines().toList();
    }

    private static List<String> events(List<String> lines) {
        return lines.stream().map(line -> line.substring(0, line.lastIndexOf(' '))).toList();
    }

    private static double uptime(List<String> lines, String event) {
        String line = lines.stream().filter(candidate -> candidate.startsWith(event + " ")).reduce((a, b) -> b).orElseThrow();
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }

    @Test
    void dataInANamedVolumeSurvivesRedeploysARollbackAndAnEngineRestart() throws Exception {
        ployer = CADDY.fixture().start(data);
        Path directory = data.resolve("repo");
        AppRepository repository = AppRepository.create(directory);
        commit(repository, directory, "v1");
        String name = "vol-" + UUID.randomUUID().toString().substring(0, 8);
        Application application = createApp(ApplicationSpec.named(name).withGit(repository.url(), "main"));
        Volume volume = ployer.volumes().addVolume(application.id(), VolumeSpec.named("data", "/data"));
        volumes.add(volume.source());
        assertThat(volume.source()).isEqualTo("ployer-" + name + "_data");

        Deployment first = deployAndWait(application);
        assertThat(first.status()).as(log(first)).isEqualTo(DeploymentStatus.RUNNING);
        commit(repository, directory, "v2");
        Deployment second = deployAndWait(application);
        assertThat(second.status()).as(log(second)).isEqualTo(DeploymentStatus.RUNNING);
        // Zero downtime with a shared volume: v2 started while v1 still ran.
        assertThat(events(dataLog(application))).containsSubsequence("start v1", "start v2");
        List<String> afterSecond = events(dataLog(application));
        int stopV1 = afterSecond.indexOf("stop v1");
        assertThat(stopV1 == -1 || stopV1 > afterSecond.indexOf("start v2")).as("v1 stopped only after v2 started: " + afterSecond)
                .isTrue();

        Deployment rollback = ployer.deployments().awaitCompletion(ployer.deployments().rollback(first.id()).id(),
                DeploymentPipelineIT.DEPLOY_TIMEOUT);
        assertThat(rollback.status()).as(log(rollback)).isEqualTo(DeploymentStatus.RUNNING);
        assertThat(events(dataLog(application))).containsSubsequence("start v1", "start v2", "start v1");

        ployer.close();
        ployer = CADDY.fixture().start(data);
        commit(repository, directory, "v3");
        Deployment third = deployAndWait(application);
        assertThat(third.status()).as(log(third)).isEqualTo(DeploymentStatus.RUNNING);
        assertThat(events(dataLog(application))).containsSubsequence("start v1", "start v2", "start v1", "start v3");

        try (ContainerRuntime docker = PipelineFixture.docker()) {
            ContainerInfo serving = docker.inspectContainer(third.containerId()).orElseThrow();
            assertThat(serving.mounts()).contains(new Mount(volume.source(), "/data", false, false));
        }
        assertThat(ployer.volumes().orphaned()).noneSatisfy(orphan -> assertThat(orphan.name()).isEqualTo(volume.source()));

        // Deleting the app keeps the data, listed as orphaned; a new app of the same name cannot silently adopt it.
        ployer.volumes().deleteApplication(application.id(), false);
        try (ContainerRuntime docker = PipelineFixture.docker()) {
            assertThat(docker.listVolumes()).extracting(VolumeInfo::name).contains(volume.source());
        }
        assertThat(ployer.volumes().orphaned()).anySatisfy(orphan -> {
            assertThat(orphan.name()).isEqualTo(volume.source());
            assertThat(orphan.applicationId()).isEqualTo(application.id());
            assertThat(orphan.volumeName()).isEqualTo("data");
        });
        Application again = createApp(ApplicationSpec.named(name).withGit(repository.url(), "main"));
        assertThatThrownBy(() -> ployer.volumes().addVolume(again.id(), VolumeSpec.named("data", "/data")))
                .isInstanceOfSatisfying(PloyerException.class, e -> assertThat(e.field()).contains("name"));
    }

    @Test
    void deletingAnAppWithDeleteVolumesRemovesItsData() throws Exception {
        ployer = CADDY.fixture().start(data);
        Path directory = data.resolve("repo");
        AppRepository repository = AppRepository.create(directory);
        commit(repository, directory, "v1");
        Application application = createApp(ApplicationSpec.named("del-" + UUID.randomUUID().toString().substring(0, 8))
                .withGit(repository.url(), "main"));
        Volume volume = ployer.volumes().addVolume(application.id(), VolumeSpec.named("data", "/data"));
        volumes.add(volume.source());
        Deployment deployment = deployAndWait(application);
        assertThat(deployment.status()).as(log(deployment)).isEqualTo(DeploymentStatus.RUNNING);

        ployer.volumes().deleteApplication(application.id(), true);

        try (ContainerRuntime docker = PipelineFixture.docker()) {
            assertThat(docker.listVolumes()).extracting(VolumeInfo::name).doesNotContain(volume.source());
        }
        assertThat(ployer.volumes().orphaned()).noneSatisfy(orphan -> assertThat(orphan.name()).isEqualTo(volume.source()));
    }

    @Test
    void anExclusiveVolumeStopsTheOldContainerBeforeTheNewOneStarts() throws Exception {
        ployer = CADDY.fixture().start(data);
        Path directory = data.resolve("repo");
        AppRepository repository = AppRepository.create(directory);
        commit(repository, directory, "v1");
        Application application = createApp(ApplicationSpec.named("ex-" + UUID.randomUUID().toString().substring(0, 8))
                .withGit(repository.url(), "main"));
        Volume volume = ployer.volumes().addVolume(application.id(), VolumeSpec.named("db", "/data").asExclusive());
        volumes.add(volume.source());
        assertThat(volume.exclusive()).isTrue();
        assertThat(deployAndWait(application).status()).isEqualTo(DeploymentStatus.RUNNING);
        commit(repository, directory, "v2");

        Deployment second = deployAndWait(application);

        assertThat(second.status()).as(log(second)).isEqualTo(DeploymentStatus.RUNNING);
        assertThat(log(second)).contains("exclusive volume");
        List<String> lines = dataLog(application);
        assertThat(events(lines)).containsExactly("start v1", "stop v1", "start v2");
        double gapSeconds = uptime(lines, "start v2") - uptime(lines, "stop v1");
        System.out.printf("exclusive volume switch: the old container stopped %.2f s before the new one started%n", gapSeconds);
        assertThat(gapSeconds).isGreaterThanOrEqualTo(0);
    }

    @Test
    void aFailedSwitchWithAnExclusiveVolumeStartsTheOldContainerAgain() throws Exception {
        ployer = CADDY.fixture().start(data);
        Path directory = data.resolve("repo");
        AppRepository repository = AppRepository.create(directory);
        commit(repository, directory, "v1");
        Application application = createApp(ApplicationSpec.named("exf-" + UUID.randomUUID().toString().substring(0, 8))
                .withGit(repository.url(), "main"));
        volumes.add(ployer.volumes().addVolume(application.id(), VolumeSpec.named("db", "/data").asExclusive()).source());
        assertThat(deployAndWait(application).status()).isEqualTo(DeploymentStatus.RUNNING);
        repository.commitCrashingVersion("broken");

        Deployment broken = deployAndWait(application);

        assertThat(broken.status()).as(log(broken)).isEqualTo(DeploymentStatus.FAILED);
        assertThat(log(broken)).contains("Started the previous container");
        assertThat(CADDY.fixture().version(application.name())).isEqualTo("200 v1");
        assertThat(events(dataLog(application))).containsExactly("start v1", "stop v1", "start v1");
    }

    @Test
    void limitsReachTheContainerAndAnOomKillIsNamedInTheFailureReason() throws Exception {
        ployer = CADDY.fixture().start(data);
        Path directory = data.resolve("repo");
        AppRepository repository = AppRepository.create(directory);
        commit(repository, directory, "v1");
        ResourceLimits limits = new ResourceLimits(64L * 1024 * 1024, 0.5, 32L * 1024 * 1024, 64L);
        Application application = createApp(ApplicationSpec.named("lim-" + UUID.randomUUID().toString().substring(0, 8))
                .withGit(repository.url(), "main").withLimits(limits).withRestartPolicy(RestartPolicy.NO));
        assertThat(ployer.applications().get(application.id()).limits()).isEqualTo(limits);

        Deployment first = deployAndWait(application);
        assertThat(first.status()).as(log(first)).isEqualTo(DeploymentStatus.RUNNING);
        try (ContainerRuntime docker = PipelineFixture.docker()) {
            assertThat(docker.inspectContainer(first.containerId()).orElseThrow().limits()).isEqualTo(limits);
        }

        ployer.applications().update(application.id(), ApplicationSpec.named(null).withLimits(new ResourceLimits(16L * 1024 * 1024, null)));
        repository.commit("hungry", "FROM ployer/busybox:latest\nCMD [\"sh\", \"-c\", \"head -c 64m /dev/zero | tail\"]\n");
        Deployment hungry = deployAndWait(application);

        assertThat(hungry.status()).as(log(hungry)).isEqualTo(DeploymentStatus.FAILED);
        assertThat(hungry.failureReason()).contains("ran out of memory");
        assertThat(CADDY.fixture().version(application.name())).isEqualTo("200 v1");
    }

    @Test
    void anOomKillOfARunningAppIsNamedInTheHealthHistory() throws Exception {
        ployer = CADDY.fixture().builder(data).config("health.tick", "200ms").build();
        ployer.start();
        Path directory = data.resolve("repo");
        AppRepository repository = AppRepository.create(directory);
        // Healthy at first; 8 s after the start it allocates past its 16 MiB limit and is OOM-killed.
        repository.commit("grows", "FROM ployer/busybox:latest\nCMD [\"sh\", \"-c\", \"mkdir -p /www && echo ok > /www/health && "
                + "httpd -p 8080 -h /www && sleep 8 && head -c 64m /dev/zero | tail; exit 1\"]\n");
        Application application = createApp(ApplicationSpec.named("oom-" + UUID.randomUUID().toString().substring(0, 8))
                .withGit(repository.url(), "main").withLimits(new ResourceLimits(16L * 1024 * 1024, null))
                .withRestartPolicy(RestartPolicy.NO));
        ployer.health().configure(new io.ployer.api.health.HealthCheck(application.id(), "/health", 200, 299,
                java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(1), 1, 2, 5, java.time.Duration.ZERO, true));
        Deployment deployment = deployAndWait(application);
        assertThat(deployment.status()).as(log(deployment)).isEqualTo(DeploymentStatus.RUNNING);

        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (ployer.health().results(application.id(), 50).stream().noneMatch(result -> result.error() != null
                && result.error().contains("OOM-killed")) && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(ployer.health().results(application.id(), 50)).anySatisfy(result -> {
            assertThat(result.status()).isEqualTo(io.ployer.api.health.HealthStatus.UNHEALTHY);
            assertThat(result.error()).contains("OOM-killed at its memory limit");
        });
    }
}
