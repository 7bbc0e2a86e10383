package io.ployer.spi.runtime;

/**
 * What a {@link ContainerRuntime} can do beyond building images and running containers. A runtime declares
 * its capabilities in {@link ContainerRuntime#capabilities()}; the compatibility kit tests each declared one
 * and checks that the operations of an undeclared one fail cleanly: an {@link UnsupportedOperationException}
 * or a CONFIGURATION {@link io.ployer.api.PloyerException}, with a message that says what is unsupported.
 */
public enum RuntimeCapability {
    /** {@link ContainerRuntime#followLogs} streams a container's output live. */
    FOLLOWS_LOGS,
    /** Named volumes and bind mounts: {@link ContainerRuntime#createVolume}, {@link ContainerSpec#mounts()}. */
    VOLUMES,
    /** Networks: {@link ContainerRuntime#createNetwork}, {@link ContainerRuntime#connectNetwork}. */
    NETWORKS,
    /** {@link ContainerRuntime#pullImage} from a registry. */
    PULLS,
    /** Memory and CPU limits of {@link ContainerSpec#limits()} are enforced. Without it a spec with limits is refused. */
    LIMITS,
    /**
     * A container is a set of replicas (an orchestrator's service) whose number {@link ContainerRuntime#scale} changes
     * without a new release.
     */
    SCALES,
    /**
     * What a Compose stack needs of its containers: the spec's {@link ContainerSpec#entrypoint()}, network
     * aliases ({@link ContainerRuntime#connectNetwork} with aliases) and {@link ContainerRuntime#exec} in a
     * running container (healthchecks). Without it {@code exec} and {@code connectNetwork} are refused.
     */
    STACKS
}
