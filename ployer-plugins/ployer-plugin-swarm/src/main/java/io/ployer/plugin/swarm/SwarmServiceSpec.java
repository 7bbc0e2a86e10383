package io.ployer.plugin.swarm;

import io.ployer.api.application.ResourceLimits;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A Swarm service Ployer runs for an application: created on the first deploy, updated in place (a rolling update,
 * new tasks started before old ones stop) on the next.
 *
 * @param name            service name (one per application)
 * @param image           image reference; every node must be able to get it (a registry for more than one node)
 * @param replicas        tasks to run
 * @param environment     environment variables (never logged)
 * @param port            the port the app listens on in its tasks, published in host mode on a port of the node's own
 *                        choosing per task; 0 for none
 * @param labels          labels of the service and its tasks' containers
 * @param limits          memory and CPU limits and memory reservation of each task (process limits are not supported)
 * @param constraints     placement constraints ({@code node.labels.zone==eu}, {@code node.role==worker})
 * @param network         the overlay network the tasks join, or {@code null} for none
 * @param command         command override, empty for the image's own
 * @param healthCommand   health check run in each task ({@code CMD-SHELL} form), or {@code null} for the image's own
 * @param healthInterval  how often the health check runs
 * @param monitor         how long Swarm watches each updated task before it counts the update as good; a task that
 *                        fails or turns unhealthy within it rolls the whole update back
 * @param stopGracePeriod how long a stopping task keeps serving before it is killed
 */
public record SwarmServiceSpec(String name, String image, int replicas, Map<String, String> environment, int port,
                               Map<String, String> labels, ResourceLimits limits, List<String> constraints, String network,
                               List<String> command, String healthCommand, Duration healthInterval, Duration monitor,
                               Duration stopGracePeriod) {
    public SwarmServiceSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(image, "image");
        if (replicas < 0) {
            throw new IllegalArgumentException("replicas must be 0 or more");
        }
        environment = Map.copyOf(environment == null ? Map.of() : environment);
        labels = Map.copyOf(labels == null ? Map.of() : labels);
        limits = limits == null ? ResourceLimits.NONE : limits;
        if (limits.pids() != null) {
            throw new IllegalArgumentException("Swarm services cannot limit processes: leave pids unset");
        }
        constraints = List.copyOf(constraints == null ? List.of() : constraints);
        command = List.copyOf(command == null ? List.of() : command);
        healthInterval = healthInterval == null ? Duration.ofSeconds(2) : healthInterval;
        monitor = monitor == null ? Duration.ofSeconds(10) : monitor;
        stopGracePeriod = stopGracePeriod == null ? Duration.ofSeconds(10) : stopGracePeriod;
    }

    /** The same service with another image (a new release). */
    public SwarmServiceSpec withImage(String newImage) {
        return new SwarmServiceSpec(name, newImage, replicas, environment, port, labels, limits, constraints, network, command,
                healthCommand, healthInterval, monitor, stopGracePeriod);
    }

    /** The same service with another health check. */
    public SwarmServiceSpec withHealthCommand(String newHealthCommand) {
        return new SwarmServiceSpec(name, image, replicas, environment, port, labels, limits, constraints, network, command,
                newHealthCommand, healthInterval, monitor, stopGracePeriod);
    }

    @Override
    public String toString() {
        return "SwarmServiceSpec[name=" + name + ", image=" + image + ", replicas=" + replicas + ", environment="
                + environment.keySet() + ", port=" + port + ", constraints=" + constraints + "]";
    }
}
