package io.ployer.api.webhook;

import java.time.Instant;
import java.util.Objects;

/**
 * One received webhook delivery and what became of it.
 *
 * @param id            stable id
 * @param webhookId     the webhook configuration it was addressed to
 * @param applicationId the application
 * @param deliveryId    the forge's delivery id, used to detect duplicates
 * @param event         event kind ({@code push}, {@code ping}, {@code tag} …)
 * @param status        outcome
 * @param reason        why it was skipped or failed
 * @param branch        pushed branch, if any
 * @param commitSha     pushed commit, if any
 * @param author        commit author, if any
 * @param message       commit message, if any
 * @param deploymentId  the deployment it started, if any
 * @param receivedAt    when it arrived
 * @param repository    the repository the payload names (its first URL for it), if any
 */
public record WebhookDelivery(String id, String webhookId, String applicationId, String deliveryId, String event,
                              WebhookDeliveryStatus status, String reason, String branch, String commitSha,
                              String author, String message, String deploymentId, Instant receivedAt, String repository) {
    public WebhookDelivery {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(applicationId, "applicationId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(receivedAt, "receivedAt");
    }

    /** A delivery whose payload named no repository. */
    public WebhookDelivery(String id, String webhookId, String applicationId, String deliveryId, String event,
                           WebhookDeliveryStatus status, String reason, String branch, String commitSha,
                           String author, String message, String deploymentId, Instant receivedAt) {
        this(id, webhookId, applicationId, deliveryId, event, status, reason, branch, commitSha, author, message, deploymentId,
                receivedAt, null);
    }
}
