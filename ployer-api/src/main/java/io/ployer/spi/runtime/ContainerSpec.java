package io.ployer.spi.runtime;

import io.ployer.api.application.ResourceLimits;
import io.ployer.api.application.RestartPolicy;
import io.ployer.api.container.Mount;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A container to create.
 *
 * @param name          container name (unique on the runtime)
 * @param image         image reference or id
 * @param environment   environment variables (secret: never logged, never on a command line)
 * @param exposedPort   the port the app listens on inside the container, published on
 *                      {@code 127.0.0.1:<free port>}; 0 for none
 * @param labels        labels
 * @param limits        resource limits
 * @param restartPolicy restart policy
 * @param command       command override, empty for the image's default
 * @param network       network to join, or {@code null} for the default
 * @param mounts        volumes and bind mounts
 * @param entrypoint    entrypoint override, {@code null} for the image's own (an empty list clears it); a runtime
 *                      that predates it ignores it
 * @param publishHost   the host address {@code exposedPort} is published on, or {@code null} for the runtime's
 *                      configured one ({@code 127.0.0.1} by default)
 */
public record ContainerSpec(String name, String image, Map<String, String> environment, int exposedPort,
                            Map<String, String> labels, ResourceLimits limits, RestartPolicy restartPolicy,
                            List<String> command, String network, List<Mount> mounts, List<String> entrypoint,
                            String publishHost) {
    public ContainerSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(image, "image");
        environment = Map.copyOf(environment == null ? Map.of() : environment);
        labels = Map.copyOf(labels == null ? Map.of() : labels);
        limits = limits == null ? ResourceLimits.NONE : limits;
        restartPolicy = restartPolicy == null ? RestartPolicy.NO : restartPolicy;
        command = List.copyOf(command == null ? List.of() : command);
        mounts = List.copyOf(mounts == null ? List.of() : mounts);
        entrypoint = entrypoint == null ? null : List.copyOf(entrypoint);
    }

    /** A container with the given entrypoint, published on the runtime's publish host. */
    public ContainerSpec(String name, String image, Map<String, String> environment, int exposedPort,
                         Map<String, String> labels, ResourceLimits limits, RestartPolicy restartPolicy,
                         List<String> command, String network, List<Mount> mounts, List<String> entrypoint) {
        this(name, image, environment, exposedPort, labels, limits, restartPolicy, command, network, mounts, entrypoint, null);
    }

    /** A container with the image's entrypoint. */
    public ContainerSpec(String name, String image, Map<String, String> environment, int exposedPort,
                         Map<String, String> labels, ResourceLimits limits, RestartPolicy restartPolicy,
                         List<String> command, String network, List<Mount> mounts) {
        this(name, image, environment, exposedPort, labels, limits, restartPolicy, command, network, mounts, null, null);
    }

    /** A container without mounts. */
    public ContainerSpec(String name, String image, Map<String, String> environment, int exposedPort,
                         Map<String, String> labels, ResourceLimits limits, RestartPolicy restartPolicy,
                         List<String> command, String network) {
        this(name, image, environment, exposedPort, labels, limits, restartPolicy, command, network, List.of(), null, null);
    }

    @Override
    public String toString() {
        return "ContainerSpec[name=" + name + ", image=" + image + ", environment=" + environment.keySet()
                + ", exposedPort=" + exposedPort + (publishHost == null ? "" : ", publishHost=" + publishHost) + ", labels=" + labels + ", mounts=" + mounts + "]";
    }
}
