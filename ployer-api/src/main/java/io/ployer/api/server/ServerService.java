package io.ployer.api.server;

import java.util.List;
import java.util.Optional;

/** The servers applications run on. */
public interface ServerService {

    /** Every server, the local one first. Private keys are omitted. */
    List<Server> list();

    Optional<Server> find(String serverId);

    /** The local server, registered at first start. */
    Server local();

    /** Registers a remote server (its SSH key stored encrypted). */
    Server create(ServerSpec spec);

    /** Changes a remote server; {@code null} fields keep their value. */
    Server update(String serverId, ServerSpec changes);

    /** Removes a remote server; the local server and servers with applications cannot be removed. */
    void delete(String serverId);

    /**
     * Checks that a server answers: for the local one, that the container runtime answers; for a
     * remote one, that its SSH port answers with an SSH banner. Records the status.
     */
    ServerCheck validate(String serverId);

    /**
     * CPU, memory, disk and uptime: of the local server from the operating system, of a remote
     * (Linux) server from {@code /proc} and {@code df} over SSH with its key. A remote server
     * without a key is INVALID_STATE; one that cannot be reached is RUNTIME_FAILURE.
     */
    ServerResources resources(String serverId);
}
