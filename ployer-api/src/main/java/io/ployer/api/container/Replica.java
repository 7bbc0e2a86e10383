package io.ployer.api.container;

/**
 * One replica (a Swarm task) of a container that runs as several, and where it runs.
 *
 * @param id           replica id
 * @param slot         replica slot
 * @param nodeId       the node it is placed on
 * @param nodeHostname that node's host name (empty when unknown)
 * @param image        the image it runs
 * @param desiredState what the orchestrator wants of it ({@code running}, {@code shutdown} …)
 * @param state        what it is ({@code running}, {@code failed} …)
 * @param health       {@code starting}, {@code healthy}, {@code unhealthy}, or {@code null} when unknown
 * @param endpoint     where its published port answers, when known
 * @param message      the orchestrator's last word on it (an error when it failed)
 */
public record Replica(String id, int slot, String nodeId, String nodeHostname, String image, String desiredState, String state,
                      String health, Endpoint endpoint, String message) {
}
