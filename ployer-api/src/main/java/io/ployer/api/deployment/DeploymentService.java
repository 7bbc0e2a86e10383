package io.ployer.api.deployment;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Starts, follows, cancels and rolls back deployments. */
public interface DeploymentService {

    /**
     * Queues a deployment and returns at once; the pipeline runs in the background. A newer
     * request supersedes the app's queued (not yet started) deployments.
     */
    Deployment deploy(DeploymentRequest request);

    /** Queues a redeploy of a previous successful deployment's image, without building. */
    Deployment rollback(String deploymentId);

    /** Cancels a queued or running deployment; it ends CANCELLED and what it created is removed. */
    Deployment cancel(String deploymentId);

    Optional<Deployment> find(String deploymentId);

    Deployment get(String deploymentId);

    List<Deployment> list(DeploymentQuery query);

    /** How many deployments match the query's filter, whatever its offset and limit. */
    default long count(DeploymentQuery query) {
        long total = 0;
        for (int offset = 0; ; offset += 500) {
            int page = list(new DeploymentQuery(query.applicationId(), query.status(), offset, 500)).size();
            total += page;
            if (page < 500) {
                return total;
            }
        }
    }

    /** The stored log lines of a deployment, in order. */
    List<DeploymentLogLine> logs(String deploymentId);

    /**
     * Blocks until the deployment reaches RUNNING or a terminal state, or the timeout passes;
     * returns its state then.
     */
    Deployment awaitCompletion(String deploymentId, Duration timeout) throws InterruptedException;

    /**
     * The containers of the application's serving (RUNNING) deployment: one per Compose service, or the
     * single app's container; empty when nothing serves. A default so older implementations still load.
     */
    default List<ServiceContainer> services(String applicationId) {
        throw new UnsupportedOperationException("this deployment service cannot list an application's services");
    }

    /**
     * The last {@code tail} lines (1–10000) of one service's container in the serving deployment
     * ({@code service} null: the routed container). NOT_FOUND naming {@code service} when the stack has no such
     * service. A default so older implementations still load.
     */
    default List<String> serviceLogs(String applicationId, String service, int tail) {
        throw new UnsupportedOperationException("this deployment service cannot read an application's logs");
    }

    /**
     * One resource sample of one service's container in the serving deployment ({@code service} null: the
     * routed container), against its limits. A default so older implementations still load.
     */
    default io.ployer.api.container.ResourceSample serviceStats(String applicationId, String service) {
        throw new UnsupportedOperationException("this deployment service cannot sample an application's services");
    }
}
