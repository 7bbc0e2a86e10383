package io.ployer.plugin.swarm;

import java.util.Map;

/**
 * A node of the swarm, as its managers see it.
 *
 * @param id           node id
 * @param hostname     host name
 * @param role         {@code manager} or {@code worker}
 * @param state        {@code ready}, {@code down}, {@code unknown} …
 * @param availability {@code active}, {@code pause} or {@code drain}
 * @param address      the address it is reached at
 * @param labels       its node labels (what placement constraints match)
 * @param nanoCpus     CPUs it offers, in billionths
 * @param memoryBytes  memory it offers
 */
public record SwarmNodeInfo(String id, String hostname, String role, String state, String availability, String address,
                            Map<String, String> labels, long nanoCpus, long memoryBytes) {
    public SwarmNodeInfo {
        labels = Map.copyOf(labels == null ? Map.of() : labels);
    }
}
