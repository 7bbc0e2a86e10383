package io.ployer.api.account;

/** What a user may do. */
public enum Role {
    ADMIN,
    USER
}
