package io.ployer.engine.application;

import io.ployer.api.application.Application;

/** Told before an application is deleted, so other features can remove what runs for it. */
@FunctionalInterface
public interface ApplicationDeletionListener {
    void beforeDelete(Application application);
}
