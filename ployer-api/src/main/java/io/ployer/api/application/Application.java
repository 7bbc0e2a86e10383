package io.ployer.api.application;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * An application: where its source lives, how it is built and run.
 *
 * @param id            stable id (UUID text)
 * @param name          DNS label, unique; also the auto subdomain
 * @param serverId      the server it runs on, {@code null} for the local server
 * @param gitUrl        repository URL, {@code null} for image deployments
 * @param branch        branch to deploy
 * @param buildStrategy name of the build strategy plugin ({@code dockerfile}, {@code image}, {@code static} …)
 * @param buildConfig   strategy-specific settings (Dockerfile path, image reference …), never secret
 * @param port          the port the app listens on inside its container
 * @param autoDeploy    whether webhook pushes deploy
 * @param limits        container resource limits
 * @param restartPolicy container restart policy
 * @param status        lifecycle state
 * @param createdAt     creation time
 * @param updatedAt     last change
 * @param projectId     the project it belongs to ({@code default} for older applications)
 */
public record Application(
        String id,
        String name,
        String serverId,
        String gitUrl,
        String branch,
        String buildStrategy,
        Map<String, String> buildConfig,
        int port,
        boolean autoDeploy,
        ResourceLimits limits,
        RestartPolicy restartPolicy,
        ApplicationStatus status,
        Instant createdAt,
        Instant updatedAt,
        String projectId) {

    public Application {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(branch, "branch");
        Objects.requireNonNull(buildStrategy, "buildStrategy");
        buildConfig = Map.copyOf(buildConfig == null ? Map.of() : buildConfig);
        limits = limits == null ? ResourceLimits.NONE : limits;
        restartPolicy = restartPolicy == null ? RestartPolicy.UNLESS_STOPPED : restartPolicy;
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        projectId = projectId == null ? io.ployer.api.access.Project.DEFAULT_ID : projectId;
    }

    /** An application of the {@code default} project (the shape before projects existed). */
    public Application(String id, String name, String serverId, String gitUrl, String branch, String buildStrategy,
                       Map<String, String> buildConfig, int port, boolean autoDeploy, ResourceLimits limits,
                       RestartPolicy restartPolicy, ApplicationStatus status, Instant createdAt, Instant updatedAt) {
        this(id, name, serverId, gitUrl, branch, buildStrategy, buildConfig, port, autoDeploy, limits, restartPolicy, status,
                createdAt, updatedAt, io.ployer.api.access.Project.DEFAULT_ID);
    }

    /** A copy in another project. */
    public Application withProject(String newProjectId) {
        return new Application(id, name, serverId, gitUrl, branch, buildStrategy, buildConfig, port, autoDeploy,
                limits, restartPolicy, status, createdAt, updatedAt, newProjectId);
    }

    /** A copy with another status and update time. */
    public Application withStatus(ApplicationStatus newStatus, Instant at) {
        return new Application(id, name, serverId, gitUrl, branch, buildStrategy, buildConfig, port, autoDeploy,
                limits, restartPolicy, newStatus, createdAt, at, projectId);
    }
}
