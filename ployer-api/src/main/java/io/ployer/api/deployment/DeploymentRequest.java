package io.ployer.api.deployment;

import java.util.Objects;

/**
 * A request to deploy an application.
 *
 * @param applicationId the application
 * @param trigger       what asks for it
 * @param commitSha     a specific commit to deploy, or {@code null} for the branch head
 */
public record DeploymentRequest(String applicationId, DeploymentTrigger trigger, String commitSha) {
    public DeploymentRequest {
        Objects.requireNonNull(applicationId, "applicationId");
        trigger = trigger == null ? DeploymentTrigger.MANUAL : trigger;
    }

    /** Deploy the head of the app's branch. */
    public static DeploymentRequest of(String applicationId) {
        return new DeploymentRequest(applicationId, DeploymentTrigger.MANUAL, null);
    }
}
