package io.ployer.api.access;

/**
 * What a member may do in one project. Instance admins may do everything everywhere without being
 * members.
 */
public enum ProjectRole {
    /** Everything in the project, members and invitations included. */
    ADMIN,
    /** Deploy, roll back, cancel, edit settings and env values; no member management. */
    DEVELOPER,
    /** Read only: no secret values in clear, no container logs. */
    VIEWER;

    /** Whether this role includes everything {@code other} may do. */
    public boolean includes(ProjectRole other) {
        return ordinal() <= other.ordinal();
    }
}
