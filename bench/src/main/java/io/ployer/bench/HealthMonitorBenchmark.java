package io.ployer.bench;

import io.ployer.api.deployment.Deployment;
import io.ployer.api.deployment.DeploymentStatus;
import io.ployer.api.deployment.DeploymentTrigger;
import io.ployer.api.application.Application;
import io.ployer.api.application.ApplicationStatus;
import io.ployer.api.application.ResourceLimits;
import io.ployer.api.application.RestartPolicy;
import io.ployer.api.health.HealthCheck;
import io.ployer.engine.health.HealthMonitor;
import io.ployer.spi.PloyerPlugin;
import io.ployer.spi.plugin.PluginContext;
import io.ployer.spi.storage.Storage;
import io.ployer.testkit.FreePorts;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.UUID;

/**
 * CPU time of the health monitor with 200 healthy apps checked every 15 s, as a share of one core,
 * against the same JVM idling for the same time (the baseline, measured in the same run). The apps
 * are one bare Undertow server in a child process, so its work is not counted.
 * Usage: {@code bench/run-health-benchmark.sh [seconds]} (default 300).
 */
public final class HealthMonitorBenchmark {
    private HealthMonitorBenchmark() {
    }

    public static void main(String[] arguments) throws Exception {
        long seconds = arguments.length > 0 ? Long.parseLong(arguments[0]) : 300;
        int apps = 200;
        Path work = Files.createTempDirectory("ployer-health-bench-");
        int port = FreePorts.next();
        Process backend = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), BareUndertowServer.class.getName(), String.valueOf(port))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            awaitUp(port);
            Storage storage = ServiceLoader.load(PloyerPlugin.class).stream().map(ServiceLoader.Provider::get)
                    .flatMap(plugin -> plugin.storageFactories().stream()).filter(factory -> factory.name().equals("sqlite")).findFirst()
                    .orElseThrow().create(Map.of("path", work.resolve("db").toString()), new PluginContext() {
                    });
            storage.start();
            Instant now = Instant.now();
            storage.inTransaction(tx -> {
                for (int i = 0; i < apps; i++) {
                    Application application = new Application(UUID.randomUUID().toString(), "bench-" + i, null, null, "main", "image",
                            Map.of(), 8080, true, ResourceLimits.NONE, RestartPolicy.NO, ApplicationStatus.RUNNING, now, now);
                    tx.applications().insert(application);
                    tx.deployments().insert(new Deployment(UUID.randomUUID().toString(), application.id(), DeploymentStatus.RUNNING,
                            DeploymentTrigger.MANUAL, "main", null, null, "image", "c" + i, "127.0.0.1:" + port, null, null, now, now,
                            now, now));
                    tx.healthChecks().upsert(new HealthCheck(application.id(), "/", 200, 299, Duration.ofSeconds(15),
                            Duration.ofSeconds(5), 1, 3, 3, Duration.ZERO, true));
                }
                return null;
            });
            var bean = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            // Baseline: the same JVM, storage open, nothing scheduled.
            long idleStart = bean.getProcessCpuTime();
            Thread.sleep(seconds * 1000 / 5);
            double idleShare = (bean.getProcessCpuTime() - idleStart) / (seconds * 1e9 / 5);
            HttpClient probeClient = HealthMonitor.probeClient();
            HealthMonitor monitor = new HealthMonitor(storage, Optional.empty(), () -> probeClient, Clock.systemUTC(),
                    event -> { }, HealthMonitor.Settings.defaults(), Thread::new);
            long start = bean.getProcessCpuTime();
            long wallStart = System.nanoTime();
            monitor.start();
            Thread.sleep(seconds * 1000);
            monitor.close();
            double share = (bean.getProcessCpuTime() - start) / (double) (System.nanoTime() - wallStart);
            List<Object> results = new ArrayList<>(storage.healthCheckResults().latest(storage.applications().list().get(0).id(), 1000));
            System.out.printf("checks per app in %d s: %d (every 15 s)%n", seconds, results.size());
            System.out.printf("CPU share of one core: monitor running %.3f %%, idle baseline %.3f %% (target < 2 %%); ratio %.2f%n",
                    share * 100, idleShare * 100, share / Math.max(idleShare, 1e-9));
            storage.close();
        } finally {
            backend.destroyForcibly().waitFor();
        }
    }

    private static void awaitUp(int port) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        for (int i = 0; i < 200; i++) {
            try {
                client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(), HttpResponse.BodyHandlers.discarding());
                return;
            } catch (java.io.IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("backend did not start");
    }
}
