package io.ployer.spi.storage;

import io.ployer.api.deployment.Deployment;
import io.ployer.api.deployment.DeploymentLogLine;
import io.ployer.api.deployment.DeploymentQuery;
import io.ployer.api.deployment.DeploymentStatus;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Deployments and their log lines. */
public interface DeploymentStore {
    void insert(Deployment deployment);

    /** Replaces the row with the same id; NOT_FOUND when there is none. */
    void update(Deployment deployment);

    Optional<Deployment> findById(String id);

    /** Filtered page, newest (by creation time, then id) first. */
    List<Deployment> list(DeploymentQuery query);

    /**
     * How many deployments match the query's filter (its offset and limit are ignored). The default
     * reads every matching page; storages override it with a count in the query.
     */
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

    /** Deployments in any of the given states, oldest first. */
    List<Deployment> findByStatus(Set<DeploymentStatus> statuses);

    /** The app's deployments in any of the given states, oldest first. */
    List<Deployment> findByApplicationAndStatus(String applicationId, Set<DeploymentStatus> statuses);

    /** Appends one log line. */
    void appendLog(DeploymentLogLine line);

    /** The deployment's log lines in sequence order. */
    List<DeploymentLogLine> logs(String deploymentId);
}
