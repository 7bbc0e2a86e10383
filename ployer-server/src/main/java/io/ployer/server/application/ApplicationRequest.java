package io.ployer.server.application;

import io.ployer.api.application.ApplicationSpec;
import io.ployer.api.application.ResourceLimits;
import io.ployer.api.application.RestartPolicy;
import java.util.Map;

/**
 * The JSON body of creating or updating an application; fields left out keep their value on update.
 *
 * @param name           DNS label
 * @param serverId       server to run on
 * @param gitUrl         repository URL
 * @param branch         branch
 * @param buildStrategy  {@code dockerfile}, {@code image}, {@code static} …
 * @param buildConfig    strategy settings
 * @param port           container port
 * @param autoDeploy     deploy on push
 * @param limits         resource limits
 * @param restartPolicy  restart policy
 * @param projectId      the project (default {@code default}); moving an application needs admin of both projects
 */
public record ApplicationRequest(String name, String serverId, String gitUrl, String branch, String buildStrategy,
                                 Map<String, String> buildConfig, Integer port, Boolean autoDeploy,
                                 Limits limits, RestartPolicy restartPolicy, String projectId) {

    /**
     * @param memoryBytes            hard memory limit in bytes (OOM-killed past it)
     * @param cpus                   CPUs
     * @param memoryReservationBytes soft memory limit in bytes, at most {@code memory_bytes}
     * @param pids                   most processes/threads at once
     */
    public record Limits(Long memoryBytes, Double cpus, Long memoryReservationBytes, Long pids) {
    }

    ApplicationSpec toSpec() {
        return new ApplicationSpec(name, serverId, gitUrl, branch, buildStrategy, buildConfig, port, autoDeploy,
                limits == null ? null : new ResourceLimits(limits.memoryBytes(), limits.cpus(),
                        limits.memoryReservationBytes(), limits.pids()), restartPolicy, projectId);
    }
}
