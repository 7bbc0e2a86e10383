package io.ployer.api.deployment;

import java.util.EnumSet;
import java.util.Set;

/**
 * The states of a deployment. The happy path is
 * {@code QUEUED → CLONING → BUILDING → STARTING → HEALTH_CHECKING → SWITCHING → RUNNING};
 * {@code FAILED}, {@code CANCELLED} and {@code SUPERSEDED} end it early. A {@code RUNNING}
 * deployment becomes {@code SUPERSEDED} when a newer one replaces it.
 */
public enum DeploymentStatus {
    QUEUED,
    CLONING,
    BUILDING,
    STARTING,
    HEALTH_CHECKING,
    SWITCHING,
    RUNNING,
    FAILED,
    CANCELLED,
    SUPERSEDED;

    /** Whether no further work happens in this state ({@code RUNNING} is serving, not working). */
    public boolean isTerminal() {
        return this == FAILED || this == CANCELLED || this == SUPERSEDED;
    }

    /** Whether the deployment is queued or doing work. */
    public boolean isActive() {
        return !isTerminal() && this != RUNNING;
    }

    /** The states this one may move to. */
    public Set<DeploymentStatus> successors() {
        return switch (this) {
            case QUEUED -> EnumSet.of(CLONING, STARTING, FAILED, CANCELLED, SUPERSEDED);
            case CLONING -> EnumSet.of(BUILDING, FAILED, CANCELLED);
            case BUILDING -> EnumSet.of(STARTING, FAILED, CANCELLED);
            case STARTING -> EnumSet.of(HEALTH_CHECKING, FAILED, CANCELLED);
            case HEALTH_CHECKING -> EnumSet.of(SWITCHING, FAILED, CANCELLED);
            case SWITCHING -> EnumSet.of(RUNNING, FAILED, CANCELLED);
            case RUNNING -> EnumSet.of(SUPERSEDED, FAILED);
            case FAILED, CANCELLED, SUPERSEDED -> EnumSet.noneOf(DeploymentStatus.class);
        };
    }

    /** Whether moving from this state to {@code next} is allowed. */
    public boolean canMoveTo(DeploymentStatus next) {
        return successors().contains(next);
    }
}
