package io.ployer.api.database;

import io.ployer.api.application.ResourceLimits;

/**
 * A database to create. Validated by the service (each problem a 400 naming its field).
 *
 * @param name        {@code [a-z0-9][a-z0-9-]{0,62}}
 * @param engine      engine
 * @param version     engine version (the image tag), or {@code null} for the engine's default
 * @param image       image without tag, or {@code null} for the configured one of the engine
 * @param publicPort  also publish it on the runtime's loopback interface (default: not exposed)
 * @param limits      resource limits, or {@code null} for none
 */
public record DatabaseSpec(String name, DatabaseEngine engine, String version, String image, Boolean publicPort,
                           ResourceLimits limits) {
}
