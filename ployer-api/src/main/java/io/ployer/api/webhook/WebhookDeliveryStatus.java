package io.ployer.api.webhook;

/** What became of a webhook delivery. */
public enum WebhookDeliveryStatus {
    /** Verified and acted upon (a deployment was started or queued). */
    SUCCESS,
    /** Rejected: bad signature, malformed body … */
    FAILED,
    /** Verified, but nothing to do: another branch, a tag, a deletion, a ping, a duplicate, auto-deploy off. */
    SKIPPED
}
