package io.ployer.engine.application;

import io.ployer.api.access.Environment;
import io.ployer.api.application.Application;
import io.ployer.spi.storage.Storage;
import java.util.Optional;

/**
 * Git settings shared across environments: an application placed in an environment with a source
 * application clones what the source clones (repository, build strategy and settings, and the
 * source's git token or deploy key unless it has its own), while its branch, env values and domains
 * stay its own.
 */
final class SharedSource {
    private SharedSource() {
    }

    /** The application whose git settings {@code applicationId} shares, if any. */
    static Optional<String> of(Storage storage, String applicationId) {
        try {
            return storage.projects().placement(applicationId).map(Environment.Placement::sourceApplicationId);
        } catch (UnsupportedOperationException e) {
            return Optional.empty(); // a storage without environments
        }
    }

    /** An application that shares another's git settings changes them only through that one. */
    static void refuseOwnGitChange(Storage storage, Application current, Application updated) {
        boolean changed = !java.util.Objects.equals(current.gitUrl(), updated.gitUrl())
                || !current.buildStrategy().equals(updated.buildStrategy()) || !current.buildConfig().equals(updated.buildConfig());
        if (changed) {
            of(storage, current.id()).filter(java.util.Objects::nonNull).ifPresent(source -> {
                throw io.ployer.api.PloyerException.invalid("git_url", "is shared with application " + source
                        + " (this application is its counterpart in another environment): change it there");
            });
        }
    }

    /** After {@code source} changed, the applications sharing its git settings take them over (in the same transaction). */
    static void follow(Storage tx, Application source) {
        java.util.List<String> sharing;
        try {
            sharing = tx.projects().sharingApplications(source.id());
        } catch (UnsupportedOperationException e) {
            return;
        }
        for (String id : sharing) {
            tx.applications().findById(id).ifPresent(app -> tx.applications().update(new Application(app.id(), app.name(),
                    app.serverId(), source.gitUrl(), app.branch(), source.buildStrategy(), source.buildConfig(), app.port(),
                    app.autoDeploy(), app.limits(), app.restartPolicy(), app.status(), app.createdAt(), source.updatedAt(),
                    app.projectId())));
        }
    }
}
