package io.ployer.api.account;

/** What a user may do on the whole instance. */
public enum Role {
    /**
     * The instance's owner: an admin who alone may make and unmake admins and hand ownership over.
     * Exactly one user (the first to register) is owner; ownership moves only by a transfer.
     */
    OWNER,
    /** Everything, in every project, except changing who is admin or owner. */
    ADMIN,
    /** Only what their project roles allow. */
    USER;

    /** Whether this role may do everything in every project (owner or admin). */
    public boolean instanceAdmin() {
        return this != USER;
    }
}
