package io.ployer.api.application;

/** What the container runtime does when an application's container exits. */
public enum RestartPolicy {
    NO,
    ON_FAILURE,
    UNLESS_STOPPED,
    ALWAYS
}
