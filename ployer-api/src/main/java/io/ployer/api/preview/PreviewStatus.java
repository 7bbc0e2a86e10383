package io.ployer.api.preview;

/** Where a preview's last deployment stands. */
public enum PreviewStatus {
    /** Queued or in progress. */
    DEPLOYING,
    /** Serving the pull request's head commit. */
    READY,
    /** The last deployment failed or was cancelled. */
    FAILED
}
