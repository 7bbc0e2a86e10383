package io.ployer.api.container;

import io.ployer.api.application.ResourceLimits;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the runtime says about a container.
 *
 * @param id        container id
 * @param name      container name
 * @param image     image it runs
 * @param state     {@code created}, {@code running}, {@code exited} …
 * @param running   whether it runs
 * @param exitCode  exit code when it has exited
 * @param labels    labels
 * @param endpoint  the loopback endpoint of its published app port, when it has one
 * @param startedAt when it last started, if known
 * @param restarts  how often the runtime restarted it after it exited (0 when unknown)
 * @param oomKilled whether the kernel killed it for going past its memory limit (last exit)
 * @param limits    the resource limits it runs under, as the runtime reports them ({@link ResourceLimits#NONE} when unknown)
 * @param mounts    its volume and bind mounts, as the runtime reports them
 */
public record ContainerInfo(String id, String name, String image, String state, boolean running, Integer exitCode,
                            Map<String, String> labels, Endpoint endpoint, Instant startedAt, int restarts, boolean oomKilled,
                            ResourceLimits limits, List<Mount> mounts) {
    public ContainerInfo {
        labels = Map.copyOf(labels == null ? Map.of() : labels);
        limits = limits == null ? ResourceLimits.NONE : limits;
        mounts = List.copyOf(mounts == null ? List.of() : mounts);
    }

    /** A container the runtime cannot tell OOM kills of. */
    public ContainerInfo(String id, String name, String image, String state, boolean running, Integer exitCode,
                         Map<String, String> labels, Endpoint endpoint, Instant startedAt, int restarts) {
        this(id, name, image, state, running, exitCode, labels, endpoint, startedAt, restarts, false, null, null);
    }

    /** Whether it has exited since it was started, even if its restart policy brought it back. */
    public boolean crashed() {
        return !running || restarts > 0;
    }

    public Optional<Endpoint> publishedEndpoint() {
        return Optional.ofNullable(endpoint);
    }
}
