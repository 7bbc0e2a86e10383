package io.ployer.engine.application;

import io.ployer.api.application.Application;

/** What stops and starts an application's container (the deployment pipeline). */
public interface RunControl {
    Application stop(String applicationId);

    Application start(String applicationId);

    /** Scales the serving release; refused by a pipeline that cannot. */
    default Application scale(String applicationId, int replicas) {
        throw new io.ployer.api.PloyerException(io.ployer.api.StandardErrorCode.INVALID_STATE, "applications cannot be scaled here");
    }
}
