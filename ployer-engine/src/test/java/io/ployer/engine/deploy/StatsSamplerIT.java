package io.ployer.engine.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.ployer.api.Ployer;
import io.ployer.api.application.Application;
import io.ployer.api.application.ApplicationSpec;
import io.ployer.api.application.ResourceLimits;
import io.ployer.api.deployment.Deployment;
import io.ployer.api.deployment.DeploymentRequest;
import io.ployer.api.deployment.DeploymentStatus;
import io.ployer.api.event.PloyerEvent;
import io.ployer.api.health.ContainerStats;
import io.ployer.engine.health.StatsSampler;
import io.ployer.spi.PloyerPlugin;
import io.ployer.spi.plugin.PluginContext;
import io.ployer.spi.storage.Storage;
import io.ployer.testkit.Environment;
import io.ployer.plugin.caddy.testing.CaddyProcess;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Container statistics from a real container that burns CPU, and pruning driven by a clock. */
class StatsSamplerIT {
    @TempDir
    Path data;

    @Test
    void samplesABusyContainerWithinItsMemoryLimit() throws Exception {
        Environment.requireDocker();
        try (CaddyProcess caddy = CaddyProcess.start(data.resolve("caddy"));
             Ployer ployer = new PipelineFixture(caddy).builder(data.resolve("engine")).config("stats.interval", "1s").build()) {
            ployer.start();
            AppRepository repository = AppRepository.create(data.resolve("repo"));
            repository.commit("busy", "FROM ployer/busybox:latest\nCMD [\"sh\", \"-c\", \"(while true; do :; done) & "
                    + "mkdir -p /www && echo ok > /www/index.html && exec httpd -f -p 8080 -h /www\"]\n");
            long limit = 64L * 1024 * 1024;
            Application application = ployer.applications().create(ApplicationSpec.named("busy-" + System.nanoTime() % 100000)
                    .withGit(repository.url(), "main").withLimits(new ResourceLimits(limit, 0.5)));
            List<ContainerStats> streamed = new CopyOnWriteArrayList<>();
            ployer.events().subscribe("app:" + application.id(), event -> {
                if (event instanceof PloyerEvent.StatsSampled sampled) {
                    streamed.add(sampled.stats());
                }
            });
            try {
                Deployment deployment = ployer.deployments().awaitCompletion(
                        ployer.deployments().deploy(DeploymentRequest.of(application.id())).id(), Duration.ofMinutes(3));
                assertThat(deployment.status()).isEqualTo(DeploymentStatus.RUNNING);
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (streamed.stream().noneMatch(stats -> stats.cpuPercent() > 0) && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                }
                assertThat(streamed).anySatisfy(stats -> {
                    assertThat(stats.cpuPercent()).isPositive();
                    assertThat(stats.memoryUsedBytes()).isPositive().isLessThanOrEqualTo(limit);
                    assertThat(stats.memoryLimitBytes()).isEqualTo(limit);
                });
                assertThat(ployer.health().stats(application.id(), Instant.now().minusSeconds(600), Instant.now().plusSeconds(1)))
                        .isNotEmpty();
            } finally {
                PipelineFixture.removeEverythingOf(application.id());
            }
        }
    }

    @Test
    void prunesSamplesOlderThanTheRetentionByTheClock() {
        Storage storage = ServiceLoader.load(PloyerPlugin.class).stream().map(ServiceLoader.Provider::get)
                .flatMap(plugin -> plugin.storageFactories().stream()).filter(factory -> factory.name().equals("sqlite")).findFirst()
                .orElseThrow().create(Map.of("path", data.resolve("db").toString()), new PluginContext() {
                });
        storage.start();
        try {
            var application = TestingRecords.application();
            storage.applications().insert(application);
            Instant now = Instant.parse("2026-06-01T12:00:00Z");
            for (int hours : new int[] {30, 25, 23, 1}) {
                storage.containerStats().insert(new ContainerStats(java.util.UUID.randomUUID().toString(), application.id(), "c",
                        1, 1, 1, 0, 0, now.minus(Duration.ofHours(hours))));
            }
            StatsSampler sampler = new StatsSampler(storage, null, Clock.fixed(now, ZoneOffset.UTC), event -> { },
                    Duration.ofSeconds(60), Duration.ofHours(24), Thread::new);
            try {
                assertThat(sampler.prune()).isEqualTo(2);
                var health = new io.ployer.engine.health.DefaultHealthService(storage, id -> { });
                var downsampled = health.stats(application.id(), now.minus(Duration.ofHours(24)), now, Duration.ofHours(12));
                assertThat(downsampled).hasSize(2);
                assertThat(downsampled.get(0).sampledAt()).isEqualTo(now.minus(Duration.ofHours(24)));
                assertThat(storage.containerStats().range(application.id(), now.minus(Duration.ofDays(3)), now)).hasSize(2);
            } finally {
                sampler.close();
            }
        } finally {
            storage.close();
        }
    }
}
