package io.ployer.api.deployment;

/**
 * A filter and page over deployments, newest first.
 *
 * @param applicationId only this application's, or {@code null} for all
 * @param status        only this status, or {@code null} for all
 * @param offset        rows to skip, ≥ 0
 * @param limit         rows to return, 1–500
 */
public record DeploymentQuery(String applicationId, DeploymentStatus status, int offset, int limit) {
    public DeploymentQuery {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be >= 0");
        }
        if (limit < 1 || limit > 500) {
            throw new IllegalArgumentException("limit must be within 1..500");
        }
    }

    public static DeploymentQuery all() {
        return new DeploymentQuery(null, null, 0, 100);
    }

    public static DeploymentQuery forApplication(String applicationId) {
        return new DeploymentQuery(applicationId, null, 0, 100);
    }
}
