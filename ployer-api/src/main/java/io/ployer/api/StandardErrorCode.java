package io.ployer.api;

/** The error codes Ployer's engine and bundled plugins raise. */
public enum StandardErrorCode implements ErrorCode {
    /** A field of a request breaks a validation rule; {@link PloyerException#field()} names it. */
    INVALID_ARGUMENT(ErrorType.USER),
    /** The addressed entity does not exist. */
    NOT_FOUND(ErrorType.USER),
    /** The request conflicts with existing state (a unique name, an active deployment …). */
    CONFLICT(ErrorType.USER),
    /** The caller is not authenticated. */
    UNAUTHENTICATED(ErrorType.USER),
    /** The caller is authenticated but may not do this. */
    PERMISSION_DENIED(ErrorType.USER),
    /** The operation is not valid in the entity's current state. */
    INVALID_STATE(ErrorType.USER),
    /** Ployer is misconfigured: a plugin is missing or ambiguous, a key is wrong … */
    CONFIGURATION(ErrorType.USER),
    /** A secret could not be decrypted or the configured keys do not match the database. */
    SECRET_KEY_MISMATCH(ErrorType.USER),
    /** An operation exceeded its time limit. */
    TIMEOUT(ErrorType.EXTERNAL),
    /** Storage failed. */
    STORAGE_FAILURE(ErrorType.EXTERNAL),
    /** The disk holding storage is full: nothing was written. */
    STORAGE_FULL(ErrorType.INSUFFICIENT_RESOURCES),
    /** Storage cannot be written now (read-only, locked by another process, unreadable): nothing was written. */
    STORAGE_UNAVAILABLE(ErrorType.EXTERNAL),
    /** The container runtime failed or refused. */
    RUNTIME_FAILURE(ErrorType.EXTERNAL),
    /** A build failed. */
    BUILD_FAILURE(ErrorType.USER),
    /** The reverse proxy failed or refused. */
    PROXY_FAILURE(ErrorType.EXTERNAL),
    /** Git (clone, fetch, checkout) failed. */
    GIT_FAILURE(ErrorType.EXTERNAL),
    /** A notification could not be delivered (the service refused it or could not be reached). */
    NOTIFICATION_FAILURE(ErrorType.EXTERNAL),
    /** A webhook delivery could not be verified. */
    WEBHOOK_REJECTED(ErrorType.USER),
    /** A concurrency or size limit was reached. */
    LIMIT_EXCEEDED(ErrorType.INSUFFICIENT_RESOURCES),
    /** The operation was cancelled. */
    CANCELLED(ErrorType.USER),
    /** A bug. */
    INTERNAL_ERROR(ErrorType.INTERNAL);

    private final ErrorType type;

    StandardErrorCode(ErrorType type) {
        this.type = type;
    }

    @Override
    public ErrorType type() {
        return type;
    }
}
