package io.ployer.api.container;

import java.util.List;

/**
 * The containers, networks and volumes of the host, through the configured container runtime —
 * for operators who need to look at or manage what runs beside the applications. Everything made
 * here carries Ployer's managed label but belongs to no application. Fails with CONFIGURATION when
 * no runtime is configured.
 */
public interface ContainerService {

    /** Containers on the host ({@code all}: stopped ones too). */
    List<ContainerInfo> list(boolean all);

    ContainerInfo get(String containerId);

    /** Creates and starts a container from a local image. */
    ContainerInfo create(ContainerRequest request);

    void start(String containerId);

    void stop(String containerId);

    void restart(String containerId);

    void remove(String containerId, boolean force);

    /** The last {@code tail} lines of output (1–10000). */
    List<String> logs(String containerId, int tail);

    ResourceSample stats(String containerId);

    /** Follows a container's output from now on until the returned handle is closed. */
    AutoCloseable followLogs(String containerId, java.util.function.Consumer<String> lines);

    List<NetworkInfo> networks();

    NetworkInfo network(String idOrName);

    NetworkInfo createNetwork(String name);

    void removeNetwork(String idOrName);

    List<VolumeInfo> volumes();

    VolumeInfo volume(String name);

    VolumeInfo createVolume(String name);

    void removeVolume(String name);

    /**
     * The machines of the orchestrator the runtime drives (Docker Swarm nodes) with their state, labels and resources.
     * INVALID_STATE on a runtime that runs on one machine. A default so implementations written before it still load.
     */
    default List<ClusterNode> nodes() {
        throw new UnsupportedOperationException("listing cluster nodes");
    }

    /**
     * A Ployer-managed container's replicas with the node each runs on, newest first. INVALID_STATE on a runtime that
     * runs each container once.
     */
    default List<Replica> replicas(String containerId) {
        throw new UnsupportedOperationException("listing replicas");
    }
}
