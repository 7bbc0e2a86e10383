package io.ployer.api.deployment;

import java.time.Instant;
import java.util.Objects;

/**
 * One attempt to bring a version of an application into service.
 *
 * @param id             stable id (UUID text)
 * @param applicationId  the application
 * @param status         current state
 * @param trigger        what started it
 * @param branch         branch deployed
 * @param commitSha      commit deployed, once known
 * @param commitMessage  first line of the commit message, once known
 * @param imageRef       the image built or reused, once known
 * @param containerId    the container started, once known
 * @param endpoint       {@code host:port} where the container answers (loopback), once known
 * @param rollbackOf     for a rollback, the deployment whose image is reused
 * @param failureReason  why it failed or was cancelled, in words a user understands
 * @param createdAt      when it was requested
 * @param startedAt      when work began
 * @param finishedAt     when it reached RUNNING or a terminal state
 * @param updatedAt      last change
 * @param imageDigest    for a prebuilt image, the registry digest ({@code sha256:…}) its reference resolved to
 */
public record Deployment(
        String id,
        String applicationId,
        DeploymentStatus status,
        DeploymentTrigger trigger,
        String branch,
        String commitSha,
        String commitMessage,
        String imageRef,
        String containerId,
        String endpoint,
        String rollbackOf,
        String failureReason,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        Instant updatedAt,
        String imageDigest) {

    public Deployment {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(applicationId, "applicationId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(trigger, "trigger");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** A deployment without an image digest (everything but prebuilt images). */
    public Deployment(String id, String applicationId, DeploymentStatus status, DeploymentTrigger trigger, String branch,
                      String commitSha, String commitMessage, String imageRef, String containerId, String endpoint,
                      String rollbackOf, String failureReason, Instant createdAt, Instant startedAt, Instant finishedAt,
                      Instant updatedAt) {
        this(id, applicationId, status, trigger, branch, commitSha, commitMessage, imageRef, containerId, endpoint, rollbackOf,
                failureReason, createdAt, startedAt, finishedAt, updatedAt, null);
    }

    public Deployment withImageDigest(String digest) {
        return new Deployment(id, applicationId, status, trigger, branch, commitSha, commitMessage, imageRef, containerId,
                endpoint, rollbackOf, failureReason, createdAt, startedAt, finishedAt, updatedAt, digest);
    }

    public Deployment withStatus(DeploymentStatus next, Instant at) {
        return new Deployment(id, applicationId, next, trigger, branch, commitSha, commitMessage, imageRef, containerId,
                endpoint, rollbackOf, failureReason, createdAt, startedAt, finishedAt, at, imageDigest);
    }

    public Deployment withCommit(String sha, String message) {
        return new Deployment(id, applicationId, status, trigger, branch, sha, message, imageRef, containerId,
                endpoint, rollbackOf, failureReason, createdAt, startedAt, finishedAt, updatedAt, imageDigest);
    }

    public Deployment withImage(String image) {
        return new Deployment(id, applicationId, status, trigger, branch, commitSha, commitMessage, image, containerId,
                endpoint, rollbackOf, failureReason, createdAt, startedAt, finishedAt, updatedAt, imageDigest);
    }

    public Deployment withContainer(String container, String containerEndpoint) {
        return new Deployment(id, applicationId, status, trigger, branch, commitSha, commitMessage, imageRef, container,
                containerEndpoint, rollbackOf, failureReason, createdAt, startedAt, finishedAt, updatedAt, imageDigest);
    }

    public Deployment withFailureReason(String reason) {
        return new Deployment(id, applicationId, status, trigger, branch, commitSha, commitMessage, imageRef, containerId,
                endpoint, rollbackOf, reason, createdAt, startedAt, finishedAt, updatedAt, imageDigest);
    }

    public Deployment withStartedAt(Instant at) {
        return new Deployment(id, applicationId, status, trigger, branch, commitSha, commitMessage, imageRef, containerId,
                endpoint, rollbackOf, failureReason, createdAt, at, finishedAt, updatedAt, imageDigest);
    }

    public Deployment withFinishedAt(Instant at) {
        return new Deployment(id, applicationId, status, trigger, branch, commitSha, commitMessage, imageRef, containerId,
                endpoint, rollbackOf, failureReason, createdAt, startedAt, at, updatedAt, imageDigest);
    }
}
