package io.ployer.plugin.swarm;

import io.ployer.api.container.Endpoint;

/**
 * One task (replica) of a service: where it runs and how it is doing.
 *
 * @param id           task id
 * @param slot         replica slot
 * @param nodeId       node it is placed on
 * @param nodeHostname that node's host name (empty when unknown)
 * @param image        image it runs
 * @param desiredState what Swarm wants of it ({@code running}, {@code shutdown} …)
 * @param state        what it is ({@code running}, {@code failed}, {@code rejected} …)
 * @param containerId  its container, or {@code null} before one exists
 * @param exitCode     its container's exit code once it exited
 * @param endpoint     the loopback endpoint of its published port, when it runs on this node and publishes one
 * @param message      Swarm's last word on it (an error when it failed)
 * @param health       its container's health ({@code starting}, {@code healthy}, {@code unhealthy}), or {@code null} when
 *                     it has no health check or does not run on this node
 */
public record SwarmTask(String id, int slot, String nodeId, String nodeHostname, String image, String desiredState,
                        String state, String containerId, Integer exitCode, Endpoint endpoint, String message, String health) {

    /** Whether it runs, is healthy (or has no health check) and Swarm wants it running: the tasks traffic may go to. */
    public boolean serving() {
        return "running".equals(desiredState) && "running".equals(state) && (health == null || "healthy".equals(health));
    }
}
