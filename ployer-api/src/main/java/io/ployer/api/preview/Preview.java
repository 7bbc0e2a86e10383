package io.ployer.api.preview;

import java.time.Instant;
import java.util.Objects;

/**
 * A preview deployment: one pull (merge) request of an application, deployed as a child
 * application of its own on its own host.
 *
 * @param id                   stable id
 * @param applicationId        the application the pull request targets (the parent)
 * @param previewApplicationId the child application that runs the preview
 * @param provider             the forge ({@code github}, {@code gitlab}, {@code gitea}, {@code bitbucket})
 * @param number               the pull request's number at the forge (GitLab's {@code iid})
 * @param title                its title, or null
 * @param headBranch           the branch the pull request proposes
 * @param headSha              the commit last deployed (or being deployed)
 * @param fork                 whether the pull request comes from another repository
 * @param forgeRepository      how the forge's status API names the target repository ({@code owner/name}, a GitLab project id)
 * @param forgeApiUrl          the forge API's base URL the pull request event named, or null
 * @param url                  where the preview is served, {@code https://<host>}
 * @param status               where its last deployment stands
 * @param deploymentId         its last deployment, or null
 * @param statusReport         what the last commit status report to the forge did (e.g. "success reported"), or null
 * @param createdAt            when the preview was first deployed
 * @param lastActivityAt       the last pull request event that touched it (expiry counts from here)
 */
public record Preview(String id, String applicationId, String previewApplicationId, String provider, int number, String title,
                      String headBranch, String headSha, boolean fork, String forgeRepository, String forgeApiUrl, String url, PreviewStatus status, String deploymentId,
                      String statusReport, Instant createdAt, Instant lastActivityAt) {
    public Preview {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(applicationId, "applicationId");
        Objects.requireNonNull(previewApplicationId, "previewApplicationId");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(headSha, "headSha");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(lastActivityAt, "lastActivityAt");
    }

    /** A copy after a new deployment of {@code sha}. */
    public Preview deploying(String sha, String title, String deployment, Instant at) {
        return new Preview(id, applicationId, previewApplicationId, provider, number, title, headBranch, sha, fork, forgeRepository, forgeApiUrl, url,
                PreviewStatus.DEPLOYING, deployment, statusReport, createdAt, at);
    }

    /** A copy with another status. */
    public Preview withStatus(PreviewStatus newStatus) {
        return new Preview(id, applicationId, previewApplicationId, provider, number, title, headBranch, headSha, fork, forgeRepository, forgeApiUrl, url,
                newStatus, deploymentId, statusReport, createdAt, lastActivityAt);
    }

    /** A copy with another status report. */
    public Preview withStatusReport(String report) {
        return new Preview(id, applicationId, previewApplicationId, provider, number, title, headBranch, headSha, fork, forgeRepository, forgeApiUrl, url,
                status, deploymentId, report, createdAt, lastActivityAt);
    }
}
