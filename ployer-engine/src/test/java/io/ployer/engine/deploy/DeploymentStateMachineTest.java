package io.ployer.engine.deploy;

import static io.ployer.api.deployment.DeploymentStatus.BUILDING;
import static io.ployer.api.deployment.DeploymentStatus.CANCELLED;
import static io.ployer.api.deployment.DeploymentStatus.CLONING;
import static io.ployer.api.deployment.DeploymentStatus.FAILED;
import static io.ployer.api.deployment.DeploymentStatus.HEALTH_CHECKING;
import static io.ployer.api.deployment.DeploymentStatus.QUEUED;
import static io.ployer.api.deployment.DeploymentStatus.RUNNING;
import static io.ployer.api.deployment.DeploymentStatus.STARTING;
import static io.ployer.api.deployment.DeploymentStatus.SUPERSEDED;
import static io.ployer.api.deployment.DeploymentStatus.SWITCHING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.api.application.Application;
import io.ployer.api.deployment.Deployment;
import io.ployer.api.deployment.DeploymentStatus;
import io.ployer.api.deployment.DeploymentTrigger;
import io.ployer.api.event.PloyerEvent;
import io.ployer.api.container.ContainerInfo;
import io.ployer.spi.runtime.ContainerRuntime;
import io.ployer.testkit.runtime.TestingContainerRuntime.Operation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deployment state machine without Docker: every working state × {success, failure, timeout,
 * cancel, engine stop}, and the queue's rules. Time moves only by {@code clock.advance}; waits are on
 * latches and holds. After each test, every transition the engine announced is checked against
 * {@link DeploymentTransitions}' table.
 */
class DeploymentStateMachineTest {
    private static final Duration WAIT = StateMachineHarness.WAIT;
    private static final Duration LONG_PAUSE = Duration.ofHours(1);

    @TempDir
    Path directory;
    private StateMachineHarness harness;

    private StateMachineHarness harness() {
        if (harness == null) {
            harness = new StateMachineHarness(directory);
        }
        return harness;
    }

    /** A harness whose health gate (its check turned off) waits {@code noCheckWait} of the clock. */
    private StateMachineHarness harness(Duration noCheckWait) {
        harness = new StateMachineHarness(directory, StateMachineHarness.SETTINGS, noCheckWait);
        return harness;
    }

    @AfterEach
    void everyTransitionPerformedIsInTheTable() {
        if (harness == null) {
            return;
        }
        try {
            for (PloyerEvent.DeploymentStatusChanged change : harness.changes()) {
                if (change.from() != null) {
                    assertThat(DeploymentTransitions.allowed(change.from(), change.to()))
                            .as("transition %s -> %s of %s is in the table", change.from(), change.to(), change.deploymentId())
                            .isTrue();
                }
            }
        } finally {
            harness.close();
        }
    }

    private static final List<DeploymentStatus> FULL_PATH = List.of(QUEUED, CLONING, BUILDING, STARTING, HEALTH_CHECKING,
            SWITCHING, RUNNING);

    private Deployment deployRunning(Application application) throws InterruptedException {
        Deployment ended = harness().awaitEnd(harness().deploy(application));
        assertThat(ended.status()).isEqualTo(RUNNING);
        return ended;
    }

    private List<ContainerInfo> containersOf(Application application) {
        return harness.runtime.containers().stream()
                .filter(container -> application.id().equals(container.labels().get(ContainerRuntime.LABEL_APP))).toList();
    }

    /** Closes the pipeline on another thread (it waits for runs) while the test releases what they wait on. */
    private void stopEngineWhile(Runnable release) throws InterruptedException {
        Thread closer = new Thread(harness.pipeline::close, "engine-stop");
        closer.start();
        release.run();
        closer.join(WAIT.toMillis());
        assertThat(closer.isAlive()).as("the engine stopped in time").isFalse();
    }

    private static void assertInterrupted(Deployment deployment) {
        assertThat(deployment.status()).isEqualTo(FAILED);
        assertThat(deployment.failureReason()).isEqualTo("interrupted: Ployer shut down during the deployment");
    }

    @Nested
    class Queued {
        @Test
        void runsOnceTheDeploymentBeforeItEnds() throws InterruptedException {
            Application app = harness().application("queued-success");
            harness.build.hold().hold();
            Deployment first = harness.deploy(app);
            assertThat(harness.build.hold().awaitArrivals(1, WAIT)).isTrue();
            Deployment second = harness.deploy(app);
            assertThat(harness.stored(second).status()).isEqualTo(QUEUED);
            harness.build.hold().release();
            assertThat(harness.awaitEnd(first).status()).isEqualTo(RUNNING);
            assertThat(harness.awaitEnd(second).status()).isEqualTo(RUNNING);
            assertThat(harness.stored(first).status()).isEqualTo(SUPERSEDED);
            assertThat(harness.path(second)).isEqualTo(FULL_PATH);
        }

        @Test
        void failsBeforeLeavingTheQueueWhenItsBuildStrategyIsGone() throws InterruptedException {
            Application app = harness().application("queued-failure");
            harness.storage.inTransaction(tx -> {
                tx.applications().update(new Application(app.id(), app.name(), app.serverId(), app.gitUrl(), app.branch(),
                        "uninstalled", app.buildConfig(), app.port(), app.autoDeploy(), app.limits(), app.restartPolicy(),
                        app.status(), app.createdAt(), app.updatedAt()));
                return null;
            });
            Deployment ended = harness.awaitEnd(harness.deploy(app));
            assertThat(ended.status()).isEqualTo(FAILED);
            assertThat(ended.failureReason()).contains("'uninstalled' is not available");
            assertThat(harness.path(ended)).containsExactly(QUEUED, FAILED);
        }

        @Test
        void waitsWithoutTimeoutWhileItsLaneIsBusy() throws InterruptedException {
            Application app = harness().application("queued-timeout");
            harness.build.hold().hold();
            Deployment first = harness.deploy(app);
            assertThat(harness.build.hold().awaitArrivals(1, WAIT)).isTrue();
            Deployment second = harness.deploy(app);
            // A day passes: the running build's own timer fires, the queued deployment has none.
            harness.clock.advance(Duration.ofDays(1));
            assertThat(harness.awaitEnd(first).failureReason()).startsWith("timed out: the build step");
            harness.build.hold().release();
            assertThat(harness.awaitEnd(second).status()).isEqualTo(RUNNING);
            assertThat(harness.path(second)).isEqualTo(FULL_PATH);
        }

        @Test
        void cancelEndsItAtOnceAndLeavesTheRunningOneAlone() throws InterruptedException {
            Application app = harness().application("queued-cancel");
            harness.build.hold().hold();
            Deployment first = harness.deploy(app);
            assertThat(harness.build.hold().awaitArrivals(1, WAIT)).isTrue();
            Deployment second = harness.deploy(app);
            Deployment cancelled = harness.pipeline.cancel(second.id());
            assertThat(cancelled.status()).isEqualTo(CANCELLED);
            assertThat(cancelled.failureReason()).isEqualTo("cancelled by request");
            harness.build.hold().release();
            assertThat(harness.awaitEnd(first).status()).isEqualTo(RUNNING);
        }

        @Test
        void engineStopLeavesItForTheNextStartToFail() throws InterruptedException {
            Application app = harness().application("queued-stop");
            harness.build.hold().hold();
            Deployment first = harness.deploy(app);
            assertThat(harness.build.hold().awaitArrivals(1, WAIT)).isTrue();
            Deployment second = harness.deploy(app);
            harness.pipeline.close();
            assertInterrupted(harness.stored(first));
            assertThat(harness.stored(second).status()).isEqualTo(QUEUED);
            harness.restart();
            assertThat(harness.stored(second).status()).isEqualTo(FAILED);
            assertThat(harness.stored(second).failureReason()).isEqualTo("interrupted: Ployer stopped while the deployment was QUEUED");
        }
    }

    @Nested
    class Cloning {
        @Test
        void successRecordsTheCommitAndGoesThroughEveryState() throws InterruptedException {
            Application app = harness().application("cloning-success");
            Deployment ended = deployRunning(app);
            assertThat(ended.commitSha()).isEqualTo(TestingSourceCheckout.COMMIT);
            assertThat(harness.path(ended)).isEqualTo(FULL_PATH);
            assertThat(harness.proxy.route(app.id())).isPresent();
        }

        @Test
        void failureOfTheCheckoutFailsTheDeployment() throws InterruptedException {
            Application app = harness().application("cloning-failure");
            harness.source.failNext(new PloyerException(StandardErrorCode.GIT_FAILURE, "the repository was not found"));
            Deployment ended = harness.awaitEnd(harness.deploy(app));
            assertThat(ended.status()).isEqualTo(FAILED);
            assertThat(ended.failureReason()).isEqualTo("the repository was not found");
            assertThat(harness.path(ended)).containsExactly(QUEUED, CLONING, FAILED);
        }

        @Test
        void timeoutStopsTheCheckout() throws InterruptedException {
            Application app = harness().application("cloning-timeout");
            harness.source.hold().hold();
            Deployment deployment = harness.deploy(app);
            assertThat(harness.source.hold().awaitArrivals(1, WAIT)).isTrue();
            harness.clock.advance(StateMachineHarness.SETTINGS.cloneTimeout());
            Deployment ended = harness.awaitEnd(deployment);
            assertThat(ended.status()).isEqualTo(FAILED);
            assertThat(ended.failureReason()).isEqualTo("timed out: the clone step took longer than 60s");
        }

        @Test
        void cancelStopsTheCheckout() throws InterruptedException {
            Application app = harness().application("cloning-cancel");
            harness.source.hold().hold();
            Deployment deployment = harness.deploy(app);
            assertThat(harness.source.hold().awaitArrivals(1, WAIT)).isTrue();
            harness.pipeline.cancel(deployment.id());
            Deployment ended = harness.awaitEnd(deployment);
            assertThat(ended.status()).isEqualTo(CANCELLED);
            assertThat(ended.failureReason()).isEqualTo("cancelled by request during CLONING");
        }

        @Test
        void engineStopInterruptsTheCheckout() throws InterruptedException {
            Application app = harness().application("cloning-stop");
            harness.source.hold().hold();
            Deployment deployment = harness.deploy(app);
            assertThat(harness.source.hold().awaitArrivals(1, WAIT)).isTrue();
            harness.pipeline.close();
            assertInterrupted(harness.stored(deployment));
        }
    }

    @Nested
    class Building {
        @Test
        void prebuiltImageGoesFromQueuedStraightToBuilding() throws InterruptedException {
            Application app = harness().application("building-success", "prebuilt");
            Deployment ended = deployRunning(app);
            assertThat(harness.path(ended)).containsExactly(QUEUED, BUILDING, STARTING, HEALTH_CHECKING, SWITCHING, RUNNING);
            assertThat(ended.imageRef()).isEqualTo(ContainerNaming.imageTag(app, ended));
            assertThat(harness.prebuilt.requests()).singleElement()
                    .satisfies(request -> assertThat(request.labels()).doesNotContainKey(ContainerRuntime.LABEL_DEPLOYMENT));
        }

        @Test
        void failedBuildFailsTheDeploymentAndKeepsThePreviousServing() throws InterruptedException {
            Application app = harness().application("building-failure");
            Deployment previous = deployRunning(app);
            harness.build.failNext("RUN make exited with code 2");
            Deployment ended = harness.awaitEnd(harness.deploy(app));
            assertThat(ended.status()).isEqualTo(FAILED);
            assertThat(ended.failureReason()).isEqualTo("the build failed: RUN make exited with code 2");
            assertThat(harness.stored(previous).status()).isEqualTo(RUNNING);
            assertThat(containersOf(app)).extracting(ContainerInfo::id).containsExactly(previous.containerId());
        }

        @Test
        void timeoutStopsTheBuild() throws InterruptedException {
            Application app = harness().application("building-timeout");
            harness.build.hold().hold();
            Deployment deployment = harness.deploy(app);
            assertThat(harness.build.hold().awaitArrivals(1, WAIT)).isTrue();
            harness.clock.advance(StateMachineHarness.SETTINGS.buildTimeout());
            Deployment ended = harness.awaitEnd(deployment);
            assertThat(ended.status()).isEqualTo(FAILED);
            assertThat(ended.failureReason()).isEqualTo("timed out: the build step took longer than 120s");
        }

        @Test
        void cancelStopsTheBuild() throws InterruptedException {
            Application app = harness().application("building-cancel");
            harness.build.hold().hold();
            Deployment deployment = harness.deploy(app);
            assertThat(harness.build.hold().awaitArrivals(1, WAIT)).isTrue();
            harness.pipeline.cancel(deployment.id());
            Deployment ended = harness.awaitEnd(deployment);
            assertThat(ended.status()).isEqualTo(CANCELLED);
            assertThat(ended.failureReason()).isEqualTo("cancelled by request during BUILDING");
        }

        @Test
        void engineStopInterruptsTheBuild() throws InterruptedException {
            Application app = harness().application("building-stop");
            harness.build.hold().hold();
            Deployment deployment = harness.deploy(app);
            assertThat(harness.build.hold().awaitArrivals(1, WAIT)).isTrue();
            harness.pipeline.close();
            assertInterrupted(harness.stored(deployment));
        }
    }

    @Nested
    class Starting {
        @Test
        void successStartsALabelledContainer() throws InterruptedException {
            Application app = harness().application("starting-success");
            Deployment ended = deployRunning(app);
            assertThat(containersOf(app)).singleElement().satisfies(container -> {
                assertThat(container.running()).isTrue();
                assertThat(container.name()).isEqualTo(ContainerNaming.containerName(app, ended));
                assertThat(container.labels()).containsEntry(ContainerRuntime.LABEL_DEPLOYMENT, ended.id())
                        .containsEntry(ContainerRuntime.LABEL_INSTANCE, harness.instanceId());
            });
            assertThat(ended.endpoint()).isEqualTo(containersOf(app).get(0).publishedEndpoint().orElseThrow().address());
        }

        @Test
        void failureToStartRemovesTheContainerAndTheBuiltImage() throws InterruptedException {
            Application app = harness().application("starting-failure");
            harness.runtime.failNext(Operation.START, new PloyerException(StandardErrorCode.RUNTIME_FAILURE,
                    "the image has no command to run"));
            Deployment ended = harness.awaitEnd(harness.deploy(app));
            assertThat(ended.status()).isEqualTo(FAILED);
            assertThat(ended.failureReason()).isEqualTo("the image has no command to run");
            assertThat(containersOf(app)).isEmpty();
            assertThat(harness.runtime.imageRefs()).doesNotContain(ended.imageRef());
        }

        @Test
        void timeoutFailsTheStart() throws InterruptedException {
            Application app = harness().application("starting-timeout");
            harness.runtime.hold(Operation.START).hold();
            Deployment deployment = harness.deploy(app);
            assertThat(harness.runtime.hold(Operation.START).awaitArrivals(1, WAIT)).isTrue();
            harness.clock.advance(StateMachineHarness.SETTINGS.startTimeout());
            harness.runtime.hold(Operation.START).release();
            Deployment ended = harness.awaitEnd(deployment);
            assertThat(ended.status()).isEqualTo(FAILED);
            assertThat(ended.failureReason()).isEqualTo("timed out: the start step took longer than 30s");
            assertThat(containersOf(app)).isEmpty();
        }

        @Test
        void cancelDuringStartRemovesTheContainer() throws InterruptedException {
            Application app = harness().application("starting-cancel");
            harness.runtime.hold(Operation.START).hold();
            Deployment deployment = harness.deploy(app);
            assertThat(harness.runtime.hold(Operation.START).awaitArrivals(1, WAIT)).isTrue();
            harness.pipeline.cancel(deployment.id());
            harness.runtime.hold(Operation.START).release();
            Deployment ended = harness.awaitEnd(deployment);
            assertThat(ended.status()).isEqualTo(CANCELLED);
            assertThat(ended.failureReason()).isEqualTo("cancelled by request during STARTING");
            assertThat(containersOf(app)).isEmpty();
        }

        @Test
        void engineStopDuringStartEndsItInterrupted() throws InterruptedException {
            // The gate waits on the clock, so a run the stop reaches after the start still ends interrupted.
            Application app = harness(LONG_PAUSE).application("starting-stop");
            harness.runtime.hold(Operation.START).hold();
            Deployment deployment = harness.deploy(app);
            assertThat(harness.runtime.hold(Operation.START).awaitArrivals(1, WAIT)).isTrue();
            stopEngineWhile(() -> harness.runtime.hold(Operation.START).release());
            assertInterrupted(harness.stored(deployment));
            assertThat(containersOf(app)).isEmpty();
        }
    }

    @Nested
    class HealthChecking {
        private static final Duration PAUSE = Duration.ofSeconds(30);

        private Deployment waitingAtTheGate(Application app) throws InterruptedException {
            Deployment deployment = harness.deploy(app);
            harness.awaitStatus(deployment, HEALTH_CHECKING);
            // the step's timeout and the gate's pause
            assertThat(harness.clock.awaitPendingTimers(2, WAIT)).isTrue();
            return deployment;
        }

        @Test
        void passesWhenTheContainerStillRunsAfterThePause() throws InterruptedException {
            Application app = harness(PAUSE).application("health-success");
            Deployment deployment = waitingAtTheGate(app);
            harness.clock.advance(PAUSE);
            assertThat(harness.awaitEnd(deployment).status()).isEqualTo(RUNNING);
        }

        @Test
        void failsWhenTheContainerExitsBeforeItIsHealthy() throws InterruptedException {
            Application app = harness(PAUSE).application("health-failure");
            Deployment deployment = waitingAtTheGate(app);
            harness.runtime.crash(harness.stored(deployment).containerId(), 3);
            harness.clock.advance(PAUSE);
            Deployment ended = harness.awaitEnd(deployment);
            assertThat(ended.status()).isEqualTo(FAILED);
            assertThat(ended.failureReason()).startsWith("the container exited with code 3 before it became healthy");
            assertThat(containersOf(app)).isEmpty();
        }

        @Test
        void timeoutFailsTheGate() throws InterruptedException {
            Application app = harness(LONG_PAUSE).application("health-timeout");
            Deployment deployment = waitingAtTheGate(app);
            harness.clock.advance(StateMachineHarness.SETTINGS.healthTimeout());
            Deployment ended = harness.awaitEnd(deployment);
            assertThat(ended.status()).isEqualTo(FAILED);
            assertThat(ended.failureReason()).isEqualTo("timed out: the health check step took longer than 90s");
        }

        @Test
        void cancelStopsTheGate() throws InterruptedException {
            Application app = harness(LONG_PAUSE).application("health-cancel");
            Deployment deployment = waitingAtTheGate(app);
            harness.pipeline.cancel(deployment.id());
            Deployment ended = harness.awaitEnd(deployment);
            assertThat(ended.status()).isEqualTo(CANCELLED);
            assertThat(ended.failureReason()).isEqualTo("cancelled by request during HEALTH_CHECKING");
            assertThat(containersOf(app)).isEmpty();
        }

        @Test
        void engineStopInterruptsTheGate() throws InterruptedException {
            Application app = harness(LONG_PAUSE).application("health-stop");
            Deployment deployment = waitingAtTheGate(app);
            harness.pipeline.close();
            assertInterrupted(harness.stored(deployment));
        }
    }

    @Nested
    class Switching {
        @Test
        void successPointsTheRouteAtTheNewContainer() throws InterruptedException {
            Application app = harness().application("switching-success");
            Deployment first = deployRunning(app);
            Deployment second = deployRunning(app);
            assertThat(harness.proxy.route(app.id()).orElseThrow().upstreams().get(0).address()).isEqualTo(second.endpoint());
            assertThat(second.endpoint()).isNotEqualTo(first.endpoint());
            assertThat(harness.stored(first).status()).isEqualTo(SUPERSEDED);
        }

        @Test
        void failureOfTheProxyKeepsThePreviousVersionServing() throws InterruptedException {
            Application app = harness().application("switching-failure");
            Deployment previous = deployRunning(app);
            harness.proxy.failNextApply(new PloyerException(StandardErrorCode.PROXY_FAILURE, "the proxy refused the route"));
            Deployment ended = harness.awaitEnd(harness.deploy(app));
            assertThat(ended.status()).isEqualTo(FAILED);
            assertThat(ended.failureReason()).isEqualTo("the proxy refused the route");
            assertThat(harness.stored(previous).status()).isEqualTo(RUNNING);
            assertThat(harness.proxy.route(app.id()).orElseThrow().upstreams().get(0).address()).isEqualTo(previous.endpoint());
            assertThat(containersOf(app)).extracting(ContainerInfo::id).containsExactly(previous.containerId());
        }

        @Test
        void hasNoTimeoutOnceTheSwitchBegan() throws InterruptedException {
            Application app = harness().application("switching-timeout");
            harness.proxy.applyHold().hold();
            Deployment deployment = harness.deploy(app);
            assertThat(harness.proxy.applyHold().awaitArrivals(1, WAIT)).isTrue();
            harness.clock.advance(Duration.ofDays(1));
            harness.proxy.applyHold().release();
            assertThat(harness.awaitEnd(deployment).status()).isEqualTo(RUNNING);
        }

        @Test
        void cancelDuringTheSwitchLetsItFinish() throws InterruptedException {
            Application app = harness().application("switching-cancel");
            harness.proxy.applyHold().hold();
            Deployment deployment = harness.deploy(app);
            assertThat(harness.proxy.applyHold().awaitArrivals(1, WAIT)).isTrue();
            harness.pipeline.cancel(deployment.id());
            harness.proxy.applyHold().release();
            assertThat(harness.awaitEnd(deployment).status()).isEqualTo(RUNNING);
        }

        @Test
        void engineStopDuringTheSwitchLetsItFinish() throws InterruptedException {
            Application app = harness().application("switching-stop");
            harness.proxy.applyHold().hold();
            Deployment deployment = harness.deploy(app);
            assertThat(harness.proxy.applyHold().awaitArrivals(1, WAIT)).isTrue();
            stopEngineWhile(() -> harness.proxy.applyHold().release());
            assertThat(harness.stored(deployment).status()).isEqualTo(RUNNING);
        }
    }

    @Nested
    class Running {
        @Test
        void aNewerDeploymentSupersedesItAndItsContainerDrains() throws InterruptedException {
            Application app = harness().application("running-success");
            Deployment first = deployRunning(app);
            deployRunning(app);
            assertThat(harness.stored(first).status()).isEqualTo(SUPERSEDED);
            assertThat(containersOf(app)).extracting(ContainerInfo::id).contains(first.containerId());
            harness.clock.advance(StateMachineHarness.SETTINGS.drainPeriod());
            assertThat(containersOf(app)).extracting(ContainerInfo::id).doesNotContain(first.containerId()).hasSize(1);
        }

        @Test
        void aFailingNewerDeploymentLeavesItServing() throws InterruptedException {
            Application app = harness().application("running-failure");
            Deployment first = deployRunning(app);
            harness.source.failNext(new PloyerException(StandardErrorCode.GIT_FAILURE, "the branch is gone"));
            assertThat(harness.awaitEnd(harness.deploy(app)).status()).isEqualTo(FAILED);
            assertThat(harness.stored(first).status()).isEqualTo(RUNNING);
            assertThat(harness.applications.get(app.id()).status()).isEqualTo(io.ployer.api.application.ApplicationStatus.RUNNING);
        }

        @Test
        void timeDoesNotEndIt() throws InterruptedException {
            Application app = harness().application("running-timeout");
            Deployment first = deployRunning(app);
            harness.clock.advance(Duration.ofDays(30));
            assertThat(harness.stored(first).status()).isEqualTo(RUNNING);
        }

        @Test
        void cannotBeCancelled() throws InterruptedException {
            Application app = harness().application("running-cancel");
            Deployment first = deployRunning(app);
            assertThatThrownBy(() -> harness.pipeline.cancel(first.id())).isInstanceOf(PloyerException.class)
                    .hasMessageContaining("is RUNNING and cannot be cancelled");
        }

        @Test
        void survivesAnEngineStopAndIsRoutedAgainAfterTheStart() throws InterruptedException {
            Application app = harness().application("running-stop");
            Deployment first = deployRunning(app);
            harness.proxy.replaceAll(List.of());
            harness.restart();
            assertThat(harness.stored(first).status()).isEqualTo(RUNNING);
            assertThat(harness.proxy.route(app.id()).orElseThrow().upstreams().get(0).address()).isEqualTo(first.endpoint());
        }
    }

    @Nested
    class Queue {
        @Test
        void aNewerRequestSupersedesTheQueuedOnes() throws InterruptedException {
            Application app = harness().application("supersede");
            harness.build.hold().hold();
            Deployment first = harness.deploy(app);
            assertThat(harness.build.hold().awaitArrivals(1, WAIT)).isTrue();
            Deployment second = harness.deploy(app);
            Deployment third = harness.deploy(app);
            Deployment superseded = harness.stored(second);
            assertThat(superseded.status()).isEqualTo(SUPERSEDED);
            assertThat(superseded.failureReason()).isEqualTo("superseded by a newer deployment request (" + third.id() + ")");
            assertThat(harness.path(second)).containsExactly(QUEUED, SUPERSEDED);
            harness.build.hold().release();
            assertThat(harness.awaitEnd(first).status()).isEqualTo(RUNNING);
            assertThat(harness.awaitEnd(third).status()).isEqualTo(RUNNING);
        }

        @Test
        void tenWebhookDeliveriesCoalesceIntoTwoDeployments() throws InterruptedException {
            Application app = harness().application("coalesce");
            harness.build.hold().hold();
            Deployment first = harness.deploy(app, DeploymentTrigger.WEBHOOK);
            assertThat(harness.build.hold().awaitArrivals(1, WAIT)).isTrue();
            Set<String> answered = new HashSet<>();
            for (int delivery = 2; delivery <= 10; delivery++) {
                answered.add(harness.deploy(app, DeploymentTrigger.WEBHOOK).id());
            }
            assertThat(answered).hasSize(1).doesNotContain(first.id());
            harness.build.hold().release();
            Deployment waiting = harness.stored(harness.pipeline.get(answered.iterator().next()));
            assertThat(harness.awaitEnd(waiting).status()).isEqualTo(RUNNING);
            assertThat(harness.pipeline.count(new io.ployer.api.deployment.DeploymentQuery(app.id(), null, 0, 100))).isEqualTo(2);
            assertThat(harness.build.requests()).hasSize(2);
        }

        @Test
        void aManualRequestSupersedesTheWaitingWebhookDeployment() throws InterruptedException {
            Application app = harness().application("coalesce-manual");
            harness.build.hold().hold();
            harness.deploy(app, DeploymentTrigger.WEBHOOK);
            assertThat(harness.build.hold().awaitArrivals(1, WAIT)).isTrue();
            Deployment waiting = harness.deploy(app, DeploymentTrigger.WEBHOOK);
            Deployment manual = harness.deploy(app);
            assertThat(harness.stored(waiting).status()).isEqualTo(SUPERSEDED);
            // a push after the manual request queues anew: nothing webhook-triggered waits any more
            Deployment push = harness.deploy(app, DeploymentTrigger.WEBHOOK);
            assertThat(harness.stored(manual).status()).isEqualTo(SUPERSEDED);
            harness.build.hold().release();
            assertThat(harness.awaitEnd(push).status()).isEqualTo(RUNNING);
        }

        @Test
        void twentyConcurrentDeploysBuildAtMostTheLimitAtOnce() throws InterruptedException {
            harness();
            List<Application> apps = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                apps.add(harness.application("limit-" + i));
            }
            harness.build.hold().hold();
            List<Deployment> deployments = new ArrayList<>();
            List<Thread> requesters = new ArrayList<>();
            for (Application app : apps) {
                Thread requester = new Thread(() -> {
                    Deployment deployment = harness.deploy(app);
                    synchronized (deployments) {
                        deployments.add(deployment);
                    }
                });
                requesters.add(requester);
                requester.start();
            }
            for (Thread requester : requesters) {
                requester.join(WAIT.toMillis());
            }
            harness.awaitCount(BUILDING, 20);
            assertThat(harness.build.hold().awaitArrivals(2, WAIT)).isTrue();
            assertThat(harness.build.hold().arrivals()).as("builds started while all 20 wait to build").isEqualTo(2);
            harness.build.hold().release();
            for (Deployment deployment : deployments) {
                assertThat(harness.awaitEnd(deployment).status()).isEqualTo(RUNNING);
            }
            assertThat(deployments).hasSize(20);
            assertThat(harness.build.mostAtOnce()).isEqualTo(StateMachineHarness.SETTINGS.maxConcurrentBuilds());
        }

        @Test
        void engineStopRetiresDrainingContainersAtOnce() throws InterruptedException {
            Application app = harness().application("drain-stop");
            Deployment first = deployRunning(app);
            deployRunning(app);
            assertThat(containersOf(app)).hasSize(2);
            harness.pipeline.close();
            assertThat(containersOf(app)).extracting(ContainerInfo::id).doesNotContain(first.containerId()).hasSize(1);
        }

        @Test
        void engineStopRetiresTheDrainingContainersOfSeveralAppsInParallel() throws Exception {
            Application one = harness().application("drain-parallel-one");
            Application two = harness.application("drain-parallel-two");
            deployRunning(one);
            deployRunning(one);
            deployRunning(two);
            deployRunning(two);
            int before = harness.runtime.hold(Operation.STOP).arrivals();
            harness.runtime.hold(Operation.STOP).hold();
            java.util.concurrent.CompletableFuture<Void> closing = java.util.concurrent.CompletableFuture.runAsync(harness.pipeline::close);
            try {
                // both stops are in flight at once: one at a time, the second would never arrive while the first is held
                assertThat(harness.runtime.hold(Operation.STOP).awaitArrivals(before + 2,
                        java.time.Duration.ofSeconds(30))).isTrue();
            } finally {
                harness.runtime.hold(Operation.STOP).release();
            }
            closing.get(60, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(containersOf(one)).hasSize(1);
            assertThat(containersOf(two)).hasSize(1);
        }

        @Test
        void pruningKeepsTheImagesOfTheLastSuccessfulDeployments() throws InterruptedException {
            Application app = harness().application("prune");
            List<Deployment> deployments = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                deployments.add(deployRunning(app));
            }
            int keep = StateMachineHarness.SETTINGS.keepImages();
            assertThat(harness.runtime.removedImages()).containsExactlyInAnyOrder(deployments.get(0).imageRef(),
                    deployments.get(1).imageRef());
            assertThat(harness.runtime.imageRefs()).containsAll(deployments.subList(5 - keep, 5).stream().map(Deployment::imageRef).toList());
            assertThatThrownBy(() -> harness.pipeline.rollback(deployments.get(0).id())).isInstanceOf(PloyerException.class)
                    .hasMessageContaining("was pruned");
        }

        @Test
        void rollbackReusesTheImageWithoutBuilding() throws InterruptedException {
            Application app = harness().application("rollback");
            Deployment first = deployRunning(app);
            deployRunning(app);
            int builds = harness.build.requests().size();
            Deployment rollback = harness.awaitEnd(harness.pipeline.rollback(first.id()));
            assertThat(rollback.status()).isEqualTo(RUNNING);
            assertThat(rollback.imageRef()).isEqualTo(first.imageRef());
            assertThat(harness.path(rollback)).containsExactly(QUEUED, STARTING, HEALTH_CHECKING, SWITCHING, RUNNING);
            assertThat(harness.build.requests()).hasSize(builds);
        }

        @Test
        void theTableRefusesAMoveOutsideIt() {
            Deployment queued = TestingRecords.deployment(UUID.randomUUID().toString()).withStatus(QUEUED, java.time.Instant.now());
            assertThatThrownBy(() -> DeploymentTransitions.move(queued, RUNNING, java.time.Instant.now()))
                    .isInstanceOf(PloyerException.class).hasMessageContaining("illegal transition QUEUED -> RUNNING");
            assertThat(DeploymentTransitions.allowed(QUEUED, BUILDING)).as("a prebuilt image skips cloning").isTrue();
            assertThat(DeploymentTransitions.allowed(QUEUED, STARTING)).as("a rollback skips building").isTrue();
            assertThat(DeploymentTransitions.allowed(RUNNING, CANCELLED)).isFalse();
        }
    }
}
