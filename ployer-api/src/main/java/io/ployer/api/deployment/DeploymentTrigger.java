package io.ployer.api.deployment;

/** What started a deployment. */
public enum DeploymentTrigger {
    MANUAL,
    WEBHOOK,
    ROLLBACK,
    API
}
