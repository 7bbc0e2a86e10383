package io.ployer.api.application;

/** The lifecycle state of an application as a whole (its deployments have their own status). */
public enum ApplicationStatus {
    /** Created, never deployed. */
    CREATED,
    /** A deployment is in progress. */
    DEPLOYING,
    /** A deployment is serving. */
    RUNNING,
    /** Stopped on request. */
    STOPPED,
    /** The last deployment failed and nothing serves. */
    FAILED,
    /** The health monitor gave up restarting the container. */
    CRASH_LOOPING
}
