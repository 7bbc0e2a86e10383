package io.ployer.api.application;

import java.util.Map;

/**
 * What a caller asks for when creating or updating an application. On update, {@code null}
 * fields keep their current value. Validation happens in the engine, before anything is written.
 *
 * @param name          DNS label {@code [a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?}
 * @param serverId      server id, {@code null} for the local server
 * @param gitUrl        https, ssh or {@code git@host:path} URL ({@code file://} only when allowed)
 * @param branch        branch name (git ref-name rules); default {@code main}
 * @param buildStrategy build strategy name; default {@code dockerfile}
 * @param buildConfig   strategy settings
 * @param port          container port 1–65535; default 8080
 * @param autoDeploy    deploy on webhook push; default true
 * @param limits        resource limits
 * @param restartPolicy restart policy; default {@link RestartPolicy#UNLESS_STOPPED}
 * @param projectId     the project; default {@code default}
 */
public record ApplicationSpec(
        String name,
        String serverId,
        String gitUrl,
        String branch,
        String buildStrategy,
        Map<String, String> buildConfig,
        Integer port,
        Boolean autoDeploy,
        ResourceLimits limits,
        RestartPolicy restartPolicy,
        String projectId) {

    public ApplicationSpec {
        buildConfig = buildConfig == null ? null : Map.copyOf(buildConfig);
    }

    /** A spec that leaves the project alone (or, on create, uses {@code default}). */
    public ApplicationSpec(String name, String serverId, String gitUrl, String branch, String buildStrategy,
                           Map<String, String> buildConfig, Integer port, Boolean autoDeploy, ResourceLimits limits,
                           RestartPolicy restartPolicy) {
        this(name, serverId, gitUrl, branch, buildStrategy, buildConfig, port, autoDeploy, limits, restartPolicy, null);
    }

    /** The same spec in a project. */
    public ApplicationSpec inProject(String project) {
        return new ApplicationSpec(name, serverId, gitUrl, branch, buildStrategy, buildConfig, port, autoDeploy, limits,
                restartPolicy, project);
    }

    /** Starts a spec with only a name set. */
    public static ApplicationSpec named(String name) {
        return new ApplicationSpec(name, null, null, null, null, null, null, null, null, null);
    }

    public ApplicationSpec withGit(String url, String branchName) {
        return new ApplicationSpec(name, serverId, url, branchName, buildStrategy, buildConfig, port, autoDeploy, limits, restartPolicy, projectId);
    }

    public ApplicationSpec withBuild(String strategy, Map<String, String> config) {
        return new ApplicationSpec(name, serverId, gitUrl, branch, strategy, config, port, autoDeploy, limits, restartPolicy, projectId);
    }

    public ApplicationSpec withPort(int containerPort) {
        return new ApplicationSpec(name, serverId, gitUrl, branch, buildStrategy, buildConfig, containerPort, autoDeploy, limits, restartPolicy, projectId);
    }

    public ApplicationSpec withAutoDeploy(boolean enabled) {
        return new ApplicationSpec(name, serverId, gitUrl, branch, buildStrategy, buildConfig, port, enabled, limits, restartPolicy, projectId);
    }

    public ApplicationSpec withLimits(ResourceLimits resourceLimits) {
        return new ApplicationSpec(name, serverId, gitUrl, branch, buildStrategy, buildConfig, port, autoDeploy, resourceLimits, restartPolicy, projectId);
    }

    public ApplicationSpec withRestartPolicy(RestartPolicy policy) {
        return new ApplicationSpec(name, serverId, gitUrl, branch, buildStrategy, buildConfig, port, autoDeploy, limits, policy, projectId);
    }
}
