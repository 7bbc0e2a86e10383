package io.ployer.engine.deploy;

import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.api.deployment.Deployment;
import io.ployer.api.deployment.DeploymentStatus;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

/**
 * The state machine's rules as a pure table, with no storage or threads: which statuses are active,
 * and which moves are allowed ({@link DeploymentStatus#successors()} is the one table). Every status
 * change the engine makes goes through {@link #move}, so a move outside the table fails loudly
 * instead of being stored.
 */
final class DeploymentTransitions {
    /** Queued or being worked on. */
    static final Set<DeploymentStatus> ACTIVE = Set.copyOf(EnumSet.of(DeploymentStatus.QUEUED, DeploymentStatus.CLONING,
            DeploymentStatus.BUILDING, DeploymentStatus.STARTING, DeploymentStatus.HEALTH_CHECKING, DeploymentStatus.SWITCHING));
    /** Being worked on. */
    static final Set<DeploymentStatus> IN_FLIGHT = Set.copyOf(EnumSet.of(DeploymentStatus.CLONING,
            DeploymentStatus.BUILDING, DeploymentStatus.STARTING, DeploymentStatus.HEALTH_CHECKING, DeploymentStatus.SWITCHING));

    private DeploymentTransitions() {
    }

    /** Whether the table allows {@code from -> to}. */
    static boolean allowed(DeploymentStatus from, DeploymentStatus to) {
        return from.canMoveTo(to);
    }

    /** The deployment in its next status; INTERNAL_ERROR when the table does not allow the move. */
    static Deployment move(Deployment deployment, DeploymentStatus next, Instant at) {
        if (!allowed(deployment.status(), next)) {
            throw new PloyerException(StandardErrorCode.INTERNAL_ERROR,
                    "illegal transition " + deployment.status() + " -> " + next + " of deployment " + deployment.id());
        }
        return deployment.withStatus(next, at);
    }

    /** The deployment ended in {@code next} (a terminal status) with a reason, finished at {@code at}. */
    static Deployment end(Deployment deployment, DeploymentStatus next, String reason, Instant at) {
        return move(deployment, next, at).withFailureReason(reason).withFinishedAt(at);
    }
}
