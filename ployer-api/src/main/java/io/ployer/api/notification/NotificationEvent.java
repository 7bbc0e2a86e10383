package io.ployer.api.notification;

/** What a notification channel can be told about. */
public enum NotificationEvent {
    DEPLOYMENT_SUCCEEDED,
    DEPLOYMENT_FAILED,
    DEPLOYMENT_CANCELLED,
    HEALTH_DOWN,
    HEALTH_RECOVERED,
    CRASH_LOOP,
    BACKUP_SUCCEEDED,
    BACKUP_FAILED,
    SERVER_UNREACHABLE,
    SERVER_BACK,
    /** A pull request's preview deployment is serving its head commit. */
    PREVIEW_READY,
    /** A pull request's preview deployment failed. */
    PREVIEW_FAILED,
    /** A preview was removed (pull request closed or merged, expired, or deleted). */
    PREVIEW_REMOVED,
    /**
     * A domain's certificate has a problem: the proxy serves none for it (the TLS handshake fails), it
     * does not cover the name, it has expired, or it expires within the warning threshold.
     */
    CERTIFICATE_PROBLEM,
    /** A domain whose certificate had a problem is served with a good one again. */
    CERTIFICATE_RECOVERED,
    /** A message sent on request to check a channel; every channel receives it. */
    TEST
}
