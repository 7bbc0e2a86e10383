package io.ployer.engine.health;

import io.ployer.api.deployment.Deployment;
import io.ployer.api.deployment.DeploymentStatus;
import io.ployer.api.event.PloyerEvent;
import io.ployer.api.health.ContainerStats;
import io.ployer.spi.runtime.ContainerRuntime;
import io.ployer.api.container.ResourceSample;
import io.ployer.spi.storage.Storage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples the resources of every running application's container on an interval (default 60 s):
 * CPU %, memory used and limit, network bytes; stores them per application, publishes them as
 * events and prunes samples older than the retention (default 24 h). Samples are taken a few at a
 * time on a small pool, since each runtime call takes about a second.
 */
public final class StatsSampler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StatsSampler.class);

    private final Storage storage;
    private final ContainerRuntime runtime;
    private final Clock clock;
    private final Consumer<PloyerEvent> events;
    private final Duration interval;
    private final Duration retention;
    private final Semaphore permits = new Semaphore(4);
    private final ExecutorService workers;
    private final ScheduledExecutorService scheduler;

    public StatsSampler(Storage storage, ContainerRuntime runtime, Clock clock, Consumer<PloyerEvent> events, Duration interval,
                        Duration retention, ThreadFactory threadFactory) {
        this.storage = storage;
        this.runtime = runtime;
        this.clock = clock;
        this.events = events;
        this.interval = interval;
        this.retention = retention;
        this.workers = Executors.newFixedThreadPool(4, threadFactory);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(threadFactory);
    }

    public void start() {
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                sampleAll();
            } catch (RuntimeException e) {
                LOG.warn("stats round failed: {}", e.toString());
            }
        }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Samples every running container once and prunes old samples; returns the round's work. */
    public List<CompletableFuture<Void>> sampleAll() {
        prune();
        List<CompletableFuture<Void>> work = new ArrayList<>();
        for (Deployment deployment : storage.deployments().findByStatus(EnumSet.of(DeploymentStatus.RUNNING))) {
            if (deployment.containerId() == null || !permits.tryAcquire()) {
                continue;
            }
            work.add(CompletableFuture.runAsync(() -> {
                try {
                    ResourceSample sample = runtime.stats(deployment.containerId());
                    ContainerStats stats = new ContainerStats(UUID.randomUUID().toString(), deployment.applicationId(),
                            deployment.containerId(), sample.cpuPercent(), sample.memoryUsedBytes(), sample.memoryLimitBytes(),
                            sample.networkRxBytes(), sample.networkTxBytes(), clock.instant());
                    storage.containerStats().insert(stats);
                    events.accept(new PloyerEvent.StatsSampled(stats));
                } catch (RuntimeException e) {
                    LOG.debug("no stats for {}: {}", deployment.applicationId(), e.toString());
                } finally {
                    permits.release();
                }
            }, workers));
        }
        return work;
    }

    /** Deletes samples older than the retention, by the injected clock. */
    public int prune() {
        Instant cutoff = clock.instant().minus(retention);
        return storage.containerStats().deleteOlderThan(cutoff);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        workers.shutdownNow();
    }
}
