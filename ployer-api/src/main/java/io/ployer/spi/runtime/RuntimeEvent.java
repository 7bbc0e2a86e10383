package io.ployer.spi.runtime;

import java.time.Instant;
import java.util.Map;

/**
 * Something the container runtime reports on its own, as it happens (see
 * {@link ContainerRuntime#watchEvents(Map, java.util.function.Consumer)}).
 *
 * @param type        what happened
 * @param containerId the container it happened to; null for {@link Type#RECONNECTED}
 * @param labels      the container's labels (empty for {@link Type#RECONNECTED})
 * @param at          when the runtime says it happened
 */
public record RuntimeEvent(Type type, String containerId, Map<String, String> labels, Instant at) {

    public RuntimeEvent {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    /** What happened. */
    public enum Type {
        /** A container stopped running (exited, was killed, or its runtime stopped it). */
        CONTAINER_DIED,
        /** A container was removed. */
        CONTAINER_REMOVED,
        /**
         * The connection to the runtime broke (it restarted or went away) and is back: events in
         * between may have been missed.
         */
        RECONNECTED
    }
}
