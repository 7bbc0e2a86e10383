package io.ployer.engine.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.ployer.api.deployment.Deployment;
import io.ployer.api.deployment.DeploymentStatus;
import io.ployer.api.deployment.DeploymentTrigger;
import io.ployer.api.health.HealthCheck;
import io.ployer.api.health.HealthStatus;
import io.ployer.engine.health.HealthMonitor;
import io.ployer.spi.PloyerPlugin;
import io.ployer.spi.plugin.PluginContext;
import io.ployer.spi.storage.Storage;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** 1,000 registered checks on a testing clock: each runs once per interval and concurrency stays bounded. */
class HealthMonitorSchedulingTest {
    static final int APPS = 1000;
    static final int MAX_CONCURRENT = 16;

    @TempDir
    Path data;

    /** A clock the test moves by hand. */
    static final class TestingClock extends Clock {
        final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-06-01T12:00:00Z"));

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    }

    @Test
    void runsEachCheckOncePerIntervalWithBoundedConcurrency() throws Exception {
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger maxInFlight = new AtomicInteger();
        AtomicInteger served = new AtomicInteger();
        HttpServer app = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 2048);
        app.setExecutor(Executors.newFixedThreadPool(64));
        app.createContext("/", exchange -> {
            int now = inFlight.incrementAndGet();
            maxInFlight.accumulateAndGet(now, Math::max);
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                // Counted out before the answer leaves, so a client that is already free again is never counted twice.
                inFlight.decrementAndGet();
                served.incrementAndGet();
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        app.start();
        Storage storage = openStorage("db");
        TestingClock clock = new TestingClock();
        HealthMonitor monitor = monitor(storage, clock, MAX_CONCURRENT);
        try {
            String endpoint = "127.0.0.1:" + app.getAddress().getPort();
            watchRunningApps(storage, clock, endpoint, APPS);
            for (int interval = 1; interval <= 2; interval++) {
                // Within one instant every due check runs exactly once, a bounded batch per round.
                int rounds = 0;
                while (served.get() < APPS * interval && rounds < 10_000) {
                    // A round may start more than the bound in total when early probes finish during it; what is
                    // bounded is how many are in flight at once, measured at the app below.
                    List<CompletableFuture<Void>> started = new ArrayList<>(monitor.runDueChecks());
                    CompletableFuture.allOf(started.toArray(CompletableFuture[]::new)).get();
                    rounds++;
                }
                assertThat(served.get()).isEqualTo(APPS * interval);
                assertThat(monitor.runDueChecks()).as("nothing more is due before the interval passes").isEmpty();
                clock.now.updateAndGet(now -> now.plus(Duration.ofSeconds(15)));
            }
            assertThat(maxInFlight.get()).isLessThanOrEqualTo(MAX_CONCURRENT);
            var sample = storage.applications().list().get(0);
            assertThat(storage.healthCheckResults().latest(sample.id(), 10)).hasSize(2);
        } finally {
            monitor.close();
            storage.close();
            app.stop(0);
        }
    }

    @Test
    void resultsAreWrittenPerRoundAndAnAppDeletedMeanwhileCostsNoOtherResult() throws Exception {
        HttpServer app = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        app.createContext("/", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        app.start();
        Storage storage = openStorage("batch");
        TestingClock clock = new TestingClock();
        HealthMonitor monitor = monitor(storage, clock, 8);
        try {
            String endpoint = "127.0.0.1:" + app.getAddress().getPort();
            List<String> ids = watchRunningApps(storage, clock, endpoint, 3);
            List<CompletableFuture<Void>> probes = monitor.runDueChecks();
            assertThat(probes).hasSize(3);
            CompletableFuture.allOf(probes.toArray(CompletableFuture[]::new)).get();
            assertThat(storage.healthCheckResults().latest(ids.get(0), 10)).as("queued until the next round").isEmpty();
            storage.applications().delete(ids.get(1)); // its queued result can no longer be stored
            monitor.writeResults();
            assertThat(storage.healthCheckResults().latest(ids.get(0), 10)).singleElement()
                    .satisfies(result -> assertThat(result.status()).isEqualTo(HealthStatus.HEALTHY));
            assertThat(storage.healthCheckResults().latest(ids.get(2), 10)).hasSize(1);
            assertThat(storage.healthCheckResults().latest(ids.get(1), 10)).isEmpty();
        } finally {
            monitor.close();
            storage.close();
            app.stop(0);
        }
    }

    @Test
    void anApplicationThatCannotBeSeenIsUnknownOnceAndNotProbedUntilItCanBeAgain() throws Exception {
        AtomicInteger served = new AtomicInteger();
        HttpServer app = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        app.createContext("/", exchange -> {
            served.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        app.start();
        Storage storage = openStorage("unseen");
        TestingClock clock = new TestingClock();
        List<io.ployer.api.event.PloyerEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        HttpClient client = HealthMonitor.probeClient();
        HealthMonitor monitor = new HealthMonitor(storage, Optional.empty(), () -> client, clock, events::add,
                new HealthMonitor.Settings(Duration.ofSeconds(1), 8, Duration.ofDays(7), Duration.ofSeconds(10), 3,
                        Duration.ofMinutes(10)), Thread::new);
        java.util.concurrent.atomic.AtomicBoolean visible = new java.util.concurrent.atomic.AtomicBoolean(true);
        monitor.setVisibility(applicationId -> visible.get());
        try {
            String id = watchRunningApps(storage, clock, "127.0.0.1:" + app.getAddress().getPort(), 1).get(0);
            CompletableFuture.allOf(monitor.runDueChecks().toArray(CompletableFuture[]::new)).get();
            assertThat(monitor.status(id)).isEqualTo(HealthStatus.HEALTHY);

            visible.set(false); // its server cannot be reached
            for (int round = 0; round < 3; round++) {
                clock.now.updateAndGet(now -> now.plus(Duration.ofSeconds(15)));
                assertThat(monitor.runDueChecks()).isEmpty();
            }
            monitor.writeResults();
            assertThat(served.get()).isEqualTo(1);
            assertThat(monitor.status(id)).isEqualTo(HealthStatus.UNKNOWN);
            assertThat(storage.healthCheckResults().latest(id, 10)).extracting(result -> result.status())
                    .containsExactly(HealthStatus.UNKNOWN, HealthStatus.HEALTHY);
            assertThat(events).filteredOn(event -> event instanceof io.ployer.api.event.PloyerEvent.HealthChanged changed
                    && changed.to() == HealthStatus.UNKNOWN).hasSize(1);

            visible.set(true);
            CompletableFuture.allOf(monitor.runDueChecks().toArray(CompletableFuture[]::new)).get();
            assertThat(served.get()).isEqualTo(2);
            assertThat(monitor.status(id)).isEqualTo(HealthStatus.HEALTHY);
        } finally {
            monitor.close();
            storage.close();
            app.stop(0);
        }
    }

    private Storage openStorage(String name) {
        Storage storage = ServiceLoader.load(PloyerPlugin.class).stream().map(ServiceLoader.Provider::get)
                .flatMap(plugin -> plugin.storageFactories().stream()).filter(factory -> factory.name().equals("sqlite")).findFirst()
                .orElseThrow().create(Map.of("path", data.resolve(name).toString()), new PluginContext() {
                });
        storage.start();
        return storage;
    }

    private static HealthMonitor monitor(Storage storage, TestingClock clock, int maxConcurrent) {
        HttpClient client = HealthMonitor.probeClient();
        return new HealthMonitor(storage, Optional.empty(), () -> client, clock, event -> { },
                new HealthMonitor.Settings(Duration.ofSeconds(1), maxConcurrent, Duration.ofDays(7), Duration.ofSeconds(10), 3,
                        Duration.ofMinutes(10)), Thread::new);
    }

    /** {@code count} apps with a RUNNING deployment at {@code endpoint} and a 15 s check of /health; their ids. */
    private static List<String> watchRunningApps(Storage storage, TestingClock clock, String endpoint, int count) {
        List<String> ids = new ArrayList<>();
        storage.inTransaction(tx -> {
            for (int i = 0; i < count; i++) {
                var application = TestingRecords.application();
                ids.add(application.id());
                tx.applications().insert(application);
                tx.deployments().insert(new Deployment(UUID.randomUUID().toString(), application.id(), DeploymentStatus.RUNNING,
                        DeploymentTrigger.MANUAL, "main", null, null, "image", "container-" + i, endpoint, null, null,
                        clock.instant(), clock.instant(), clock.instant(), clock.instant()));
                tx.healthChecks().upsert(new HealthCheck(application.id(), "/health", 200, 299, Duration.ofSeconds(15),
                        Duration.ofSeconds(2), 1, 3, 3, Duration.ZERO, true));
            }
            return null;
        });
        return ids;
    }
}
