package io.ployer.engine.access;

import io.ployer.api.access.ProjectRole;

/** What a caller asks to do with a resource of a project, and the least project role that may. */
public enum Action {
    /** See the resource (secret values masked). */
    READ(ProjectRole.VIEWER),
    /** Change settings, env values, domains, tokens, health checks, volumes. */
    WRITE(ProjectRole.DEVELOPER),
    /** Deploy, roll back, cancel. */
    DEPLOY(ProjectRole.DEVELOPER),
    /** See secret values in clear (env values, webhook secrets). */
    REVEAL_SECRETS(ProjectRole.DEVELOPER),
    /** Read what a container prints. */
    CONTAINER_LOGS(ProjectRole.DEVELOPER),
    /** Delete applications, manage members and invitations, rename the project. */
    ADMINISTER(ProjectRole.ADMIN);

    private final ProjectRole least;

    Action(ProjectRole least) {
        this.least = least;
    }

    /** Whether a member with {@code role} may do this. */
    public boolean allowedTo(ProjectRole role) {
        return role.includes(least);
    }
}
