package io.ployer.engine.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.ployer.api.application.Application;
import io.ployer.api.application.ApplicationSpec;
import io.ployer.api.deployment.Deployment;
import io.ployer.api.deployment.DeploymentRequest;
import io.ployer.api.deployment.DeploymentStatus;
import io.ployer.api.deployment.DeploymentTrigger;
import io.ployer.api.event.PloyerEvent;
import io.ployer.api.health.HealthCheck;
import io.ployer.engine.application.ApplicationInternals;
import io.ployer.engine.application.DefaultApplicationService;
import io.ployer.engine.network.NetworkTargets;
import io.ployer.engine.secret.SecretCipher;
import io.ployer.engine.secret.SecretKeyRing;
import io.ployer.engine.secret.SecretRedactor;
import io.ployer.plugin.sqlite.SqlitePlugin;
import io.ployer.spi.plugin.PluginContext;
import io.ployer.spi.build.BuildStrategy;
import io.ployer.spi.storage.Storage;
import io.ployer.testkit.TestingClock;
import io.ployer.testkit.build.TestingBuildStrategy;
import io.ployer.testkit.proxy.TestingReverseProxy;
import io.ployer.testkit.runtime.TestingContainerRuntime;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

/**
 * The deployment pipeline on real SQLite storage with the testkit's doubles for everything else, and
 * time on a {@link TestingClock}: no Docker, no proxy, no sleeping.
 */
final class StateMachineHarness implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(10);
    static final DeploySettings SETTINGS = new DeploySettings(2, Duration.ofSeconds(60), Duration.ofSeconds(120),
            Duration.ofSeconds(30), Duration.ofSeconds(90), Duration.ofSeconds(10), Duration.ofSeconds(1), 3, 1024 * 1024);

    final TestingClock clock = TestingClock.start();
    final TestingContainerRuntime runtime = new TestingContainerRuntime(clock);
    final TestingReverseProxy proxy = new TestingReverseProxy();
    final TestingBuildStrategy build = new TestingBuildStrategy(true);
    final TestingBuildStrategy prebuilt = new TestingBuildStrategy(false);
    final TestingSourceCheckout source;
    final Storage storage;
    final DefaultApplicationService applications;
    private final ApplicationInternals internals;
    /** Every secret the pipeline decrypted, as {@code owner/field}, in order. */
    private final List<String> decryptions = new ArrayList<>();
    private final DeploySettings settings;
    private final Duration noCheckWait;
    private final List<PloyerEvent.DeploymentStatusChanged> changes = new ArrayList<>();
    private final String instanceId = "instance-under-test";
    DeploymentPipeline pipeline;

    StateMachineHarness(Path directory) {
        this(directory, SETTINGS, Duration.ZERO);
    }

    StateMachineHarness(Path directory, DeploySettings settings, Duration noCheckWait) {
        this.settings = settings;
        this.noCheckWait = noCheckWait;
        this.source = new TestingSourceCheckout(directory);
        this.storage = new SqlitePlugin.SqliteStorageFactory().create(Map.of("path", directory.resolve("ployer.db").toString()),
                new PluginContext() {
                });
        storage.start();
        SecretCipher cipher = new SecretCipher(SecretKeyRing.generate());
        SecretRedactor redactor = new SecretRedactor();
        this.applications = new DefaultApplicationService(storage, cipher, redactor, clock, strategies(), true, false,
                Optional.of("apps.test"));
        this.internals = new ApplicationInternals(storage, (owner, field, stored) -> {
            synchronized (decryptions) {
                decryptions.add(owner + "/" + field);
            }
            return cipher.decrypt(owner, field, stored);
        }, redactor, clock, NetworkTargets.defaults());
        this.pipeline = newPipeline();
    }

    private Map<String, BuildStrategy> strategies() {
        return Map.of("testing", build, "prebuilt", prebuilt);
    }

    /** A pipeline as a (re)started engine makes it, on the same storage, runtime and proxy. */
    DeploymentPipeline newPipeline() {
        DeploymentTimers timers = (delay, action) -> {
            if (delay.isZero() || delay.isNegative()) {
                action.run();
                return () -> false;
            }
            TestingClock.Timer timer = clock.schedule(delay, action);
            return timer::cancel;
        };
        PipelineContext context = new PipelineContext(storage, internals, Optional.of(runtime), Optional.of(proxy),
                strategies(), source, settings, clock, this::record, text -> text, instanceId, timers);
        return new DeploymentPipeline(context, Executors.newCachedThreadPool(), HttpClient::newHttpClient, noCheckWait);
    }

    /** A pipeline on the same storage and proxy with another runtime (one wrapping {@link #runtime}). */
    DeploymentPipeline pipelineOn(io.ployer.spi.runtime.ContainerRuntime other) {
        PipelineContext context = new PipelineContext(storage, internals, Optional.of(other), Optional.of(proxy),
                strategies(), source, settings, clock, this::record, text -> text, instanceId, (delay, action) -> () -> false);
        return new DeploymentPipeline(context, Executors.newCachedThreadPool(), HttpClient::newHttpClient, noCheckWait);
    }

    /** The engine stops and starts again: a new pipeline on the same storage, reconciled. */
    void restart() {
        pipeline.close();
        pipeline = newPipeline();
        pipeline.reconcile();
    }

    /** The secrets the pipeline decrypted so far ({@code owner/field}), and forgets them. */
    List<String> takeDecryptions() {
        synchronized (decryptions) {
            List<String> taken = List.copyOf(decryptions);
            decryptions.clear();
            return taken;
        }
    }

    String instanceId() {
        return instanceId;
    }

    /** An application built by {@code strategy}, with a domain under the base domain and its health check turned off. */
    Application application(String name, String strategy) {
        Application application = applications.create(ApplicationSpec.named(name).withGit("file:///srv/git/" + name + ".git", "main")
                .withBuild(strategy, Map.of()));
        storage.healthChecks().upsert(new HealthCheck(application.id(), "/", 200, 399, Duration.ofSeconds(1),
                Duration.ofSeconds(1), 1, 3, 3, Duration.ZERO, false));
        return application;
    }

    Application application(String name) {
        return application(name, "testing");
    }

    Deployment deploy(Application application) {
        return deploy(application, DeploymentTrigger.MANUAL);
    }

    Deployment deploy(Application application, DeploymentTrigger trigger) {
        return pipeline.deploy(new DeploymentRequest(application.id(), trigger, null));
    }

    /** Waits for the deployment to end (RUNNING or terminal) and answers it. */
    Deployment awaitEnd(Deployment deployment) throws InterruptedException {
        Deployment ended = pipeline.awaitCompletion(deployment.id(), WAIT);
        assertThat(ended.status().isActive()).as("deployment %s ended in time (is %s)", deployment.id(), ended.status())
                .isFalse();
        return ended;
    }

    /** Waits until the deployment has moved to {@code status}. */
    void awaitStatus(Deployment deployment, DeploymentStatus status) throws InterruptedException {
        awaitChange(change -> change.deploymentId().equals(deployment.id()) && change.to() == status,
                deployment.id() + " to reach " + status);
    }

    /** Waits until {@code count} deployments have moved to {@code status}. */
    void awaitCount(DeploymentStatus status, int count) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        synchronized (changes) {
            while (changes.stream().filter(change -> change.to() == status).count() < count) {
                long left = deadline - System.nanoTime();
                assertThat(left).as("%d deployments reach %s in time", count, status).isPositive();
                changes.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    private void awaitChange(Predicate<PloyerEvent.DeploymentStatusChanged> wanted, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        synchronized (changes) {
            while (changes.stream().noneMatch(wanted)) {
                long left = deadline - System.nanoTime();
                assertThat(left).as("waited for %s; changes so far: %s", what, changes).isPositive();
                changes.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    /** Every status change announced so far. */
    List<PloyerEvent.DeploymentStatusChanged> changes() {
        synchronized (changes) {
            return List.copyOf(changes);
        }
    }

    /** The statuses one deployment went through, in order. */
    List<DeploymentStatus> path(Deployment deployment) {
        return changes().stream().filter(change -> change.deploymentId().equals(deployment.id()))
                .map(PloyerEvent.DeploymentStatusChanged::to).toList();
    }

    Deployment stored(Deployment deployment) {
        return storage.deployments().findById(deployment.id()).orElseThrow();
    }

    private void record(PloyerEvent event) {
        if (event instanceof PloyerEvent.DeploymentStatusChanged change) {
            synchronized (changes) {
                changes.add(change);
                changes.notifyAll();
            }
        }
    }

    @Override
    public void close() {
        build.hold().release();
        prebuilt.hold().release();
        source.hold().release();
        proxy.applyHold().release();
        for (TestingContainerRuntime.Operation operation : TestingContainerRuntime.Operation.values()) {
            runtime.hold(operation).release();
        }
        pipeline.close();
        storage.close();
    }
}
