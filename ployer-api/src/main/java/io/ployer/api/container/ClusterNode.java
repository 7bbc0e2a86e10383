package io.ployer.api.container;

import java.util.Map;

/**
 * A machine of the orchestrator the container runtime drives (a Docker Swarm node), as its managers see it.
 *
 * @param id           node id
 * @param hostname     host name
 * @param role         {@code manager} or {@code worker}
 * @param state        {@code ready}, {@code down}, {@code disconnected} or {@code unknown}
 * @param availability {@code active}, {@code pause} or {@code drain}
 * @param address      the address it is reached at
 * @param labels       its node labels (what placement constraints match)
 * @param nanoCpus     CPUs it offers, in billionths
 * @param memoryBytes  memory it offers
 */
public record ClusterNode(String id, String hostname, String role, String state, String availability, String address,
                          Map<String, String> labels, long nanoCpus, long memoryBytes) {
    public ClusterNode {
        labels = Map.copyOf(labels == null ? Map.of() : labels);
    }
}
