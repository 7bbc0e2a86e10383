package io.ployer.engine.deploy;

import io.ployer.api.PloyerException;
import io.ployer.api.application.Application;
import io.ployer.api.deployment.Deployment;
import io.ployer.api.deployment.DeploymentStatus;
import io.ployer.spi.plugin.Cancellation;
import io.ployer.spi.runtime.ContainerRuntime;
import io.ployer.api.container.Endpoint;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Deploys applications that are more than one container (Compose stacks, {@code engine.stack}). The
 * pipeline keeps the parts every deployment shares: the run's states, timeouts, cancellation, the
 * switch of the route under the application's route lock, RUNNING/SUPERSEDED, the drain of the
 * replaced routed container and the clean-up of a failed run. The deployer starts the new stack up to
 * a healthy routed service ({@link #start}) and replaces the rest of the previous stack once the new
 * one serves ({@link #afterRunning}).
 */
public interface StackDeployer {
    /** Label naming the Compose service of a stack's container. */
    String LABEL_SERVICE = "io.ployer.service";
    /** Label ({@code true}) on a stack's container the proxy routes to; it drains like a single app's after a switch. */
    String LABEL_ROUTED = "io.ployer.routed";

    /** Nothing is a stack. */
    StackDeployer NONE = new StackDeployer() {
        @Override
        public boolean handles(Application application) {
            return false;
        }

        @Override
        public Started start(Application application, Run run) {
            throw new IllegalStateException("no stack deployer");
        }

        @Override
        public void afterRunning(Application application, Run run) {
        }
    };

    /** Whether this application is deployed as a stack. */
    boolean handles(Application application);

    /**
     * Checks out, builds and starts every service in dependency order, then waits until the routed
     * service answers its health check (HEALTH_CHECKING). Every container and image it makes is
     * reported to the run ({@link Run#created}, {@link Run#built}) so a failure removes them.
     */
    Started start(Application application, Run run) throws Exception;

    /** After RUNNING: stops and removes the previous stack's other services. Never throws. */
    void afterRunning(Application application, Run run);

    /**
     * The routed services' containers, each healthy.
     *
     * @param containerId its container (the deployment's container: reconciled, drained like a single app's)
     * @param endpoint    where it answers (the route's upstream)
     * @param imageRef    its image, the deployment's image (a rollback finds the stack's images by its tag)
     * @param service     the service of that container, the primary routed service (domains without a service go there)
     * @param others      where the further routed services answer, by service (each gets a route of its own)
     */
    record Started(String containerId, Endpoint endpoint, String imageRef, String service, java.util.Map<String, Endpoint> others) {
        public Started {
            others = java.util.Map.copyOf(others);
        }

        /** One routed service. */
        public Started(String containerId, Endpoint endpoint, String imageRef) {
            this(containerId, endpoint, imageRef, null, java.util.Map.of());
        }
    }

    /** A step's work. */
    @FunctionalInterface
    interface Work<T> {
        T run() throws Exception;
    }

    /** What a stack deployer may do within its run. */
    interface Run {
        Deployment deployment();

        /** The deployment this one rolls back to, or {@code null}. */
        Deployment rollbackTarget();

        /** Stores and announces the next status (fails CANCELLED when the run was cancelled). */
        void move(DeploymentStatus next);

        /** Stores a changed copy of the deployment. */
        void persist(Deployment updated);

        /** Checks the source out ({@code commitSha} null: the branch head), bounded by the clone timeout. */
        SourceCheckout.CheckedOut checkout(Application application, String commitSha) throws Exception;

        /** Runs {@code work} within the build limit and the build timeout. */
        <T> T build(Work<T> work) throws Exception;

        /** Runs {@code work} bounded by {@code timeout}; {@code step} names it in the failure. */
        <T> T withTimeout(Duration timeout, String step, Work<T> work) throws Exception;

        /** Waits for a routed service with the application's health check (or the default gate). */
        void awaitHealthy(Application application, String containerId, Endpoint endpoint, int port) throws Exception;

        /**
         * The application's own mounts (its volumes, created when missing, and its configuration files),
         * which a stack's routed services get; refuses an exclusive volume (a stack switches with no gap).
         */
        java.util.List<io.ployer.api.container.Mount> applicationMounts(Application application);

        /** A line of the deployment's log from Ployer. */
        void system(String line);

        /** A stream of the deployment's log ({@code build}, {@code container}, a service's name …). */
        Consumer<String> stream(String name);

        Cancellation cancellation();

        /** Waits {@code pause}; true when the run was cancelled meanwhile. */
        boolean pause(Duration pause) throws InterruptedException;

        /** The failure that ends a cancelled run. */
        PloyerException cancelled();

        ContainerRuntime runtime();

        DeploySettings settings();

        String instanceId();

        /** The app's env values ({@code buildTimeOnly}: those marked for builds). */
        java.util.Map<String, String> environment(String applicationId, boolean buildTimeOnly);

        /** A container this run made: removed if the run fails. */
        void created(String containerId);

        /** An image this run built: removed if the run fails. */
        void built(String imageRef);

        /** The containers that served before this run (the previous RUNNING deployments'), by deployment id. */
        java.util.List<Deployment> previous();
    }
}
