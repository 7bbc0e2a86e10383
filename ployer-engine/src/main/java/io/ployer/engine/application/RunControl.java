package io.ployer.engine.application;

import io.ployer.api.application.Application;

/** What stops and starts an application's container (the deployment pipeline). */
public interface RunControl {
    Application stop(String applicationId);

    Application start(String applicationId);
}
