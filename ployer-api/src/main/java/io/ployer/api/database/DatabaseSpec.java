package io.ployer.api.database;

import io.ployer.api.application.ResourceLimits;

/**
 * A database to create. Validated by the service (each problem a 400 naming its field).
 *
 * @param name        {@code [a-z0-9][a-z0-9-]{0,62}}
 * @param engine      engine
 * @param version     engine version (the image tag), or {@code null} for the engine's default
 * @param image       image without tag, or {@code null} for the configured one of the engine
 * @param publicPort  also publish it on a host interface (default: not exposed)
 * @param limits      resource limits, or {@code null} for none
 * @param projectId   its project, or {@code null} for {@code default}
 * @param publicHost  the host address to publish it on (an address of this host, such as {@code 127.0.0.1} or a
 *                    private interface's), or {@code null} for the runtime's publish host; only with {@code publicPort}
 */
public record DatabaseSpec(String name, DatabaseEngine engine, String version, String image, Boolean publicPort,
                           ResourceLimits limits, String projectId, String publicHost) {

    /** A database of the {@code default} project. */
    public DatabaseSpec(String name, DatabaseEngine engine, String version, String image, Boolean publicPort,
                        ResourceLimits limits) {
        this(name, engine, version, image, publicPort, limits, null, null);
    }

    /** The same spec in a project. */
    public DatabaseSpec inProject(String project) {
        return new DatabaseSpec(name, engine, version, image, publicPort, limits, project, publicHost);
    }
}
