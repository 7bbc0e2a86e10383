package io.ployer.api.deployment;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The states of a deployment. The happy path is
 * {@code QUEUED → CLONING → BUILDING → STARTING → HEALTH_CHECKING → SWITCHING → RUNNING}
 * ({@code QUEUED → BUILDING} for a prebuilt image, {@code QUEUED → STARTING} for a rollback);
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

    /**
     * Every allowed transition, in one table: each state's successors. A prebuilt image needs no
     * source, so its deployment goes {@code QUEUED → BUILDING} without cloning; a rollback reuses an
     * image and goes {@code QUEUED → STARTING}. Any active state may end {@code FAILED} or
     * {@code CANCELLED}; only a queued one is {@code SUPERSEDED} by a newer request.
     */
    private static final Map<DeploymentStatus, Set<DeploymentStatus>> TRANSITIONS = transitions();

    private static Map<DeploymentStatus, Set<DeploymentStatus>> transitions() {
        Map<DeploymentStatus, Set<DeploymentStatus>> table = new EnumMap<>(DeploymentStatus.class);
        table.put(QUEUED, EnumSet.of(CLONING, BUILDING, STARTING, FAILED, CANCELLED, SUPERSEDED));
        table.put(CLONING, EnumSet.of(BUILDING, FAILED, CANCELLED));
        table.put(BUILDING, EnumSet.of(STARTING, FAILED, CANCELLED));
        table.put(STARTING, EnumSet.of(HEALTH_CHECKING, FAILED, CANCELLED));
        table.put(HEALTH_CHECKING, EnumSet.of(SWITCHING, FAILED, CANCELLED));
        table.put(SWITCHING, EnumSet.of(RUNNING, FAILED, CANCELLED));
        table.put(RUNNING, EnumSet.of(SUPERSEDED, FAILED));
        table.put(FAILED, EnumSet.noneOf(DeploymentStatus.class));
        table.put(CANCELLED, EnumSet.noneOf(DeploymentStatus.class));
        table.put(SUPERSEDED, EnumSet.noneOf(DeploymentStatus.class));
        table.replaceAll((state, successors) -> Collections.unmodifiableSet(successors));
        return Collections.unmodifiableMap(table);
    }

    /** The states this one may move to (read-only). */
    public Set<DeploymentStatus> successors() {
        return TRANSITIONS.get(this);
    }

    /** Whether moving from this state to {@code next} is allowed. */
    public boolean canMoveTo(DeploymentStatus next) {
        return successors().contains(next);
    }
}
