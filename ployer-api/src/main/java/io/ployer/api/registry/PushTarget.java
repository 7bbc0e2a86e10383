package io.ployer.api.registry;

import java.util.Objects;

/**
 * Where an application's built images are pushed after a successful build, before they start.
 *
 * @param applicationId the application
 * @param registryId    the registry (its credentials are used)
 * @param repository    the repository in it ({@code team/app}); images are pushed as
 *                      {@code <registry>/<repository>:<deployment id>} and {@code :latest}
 */
public record PushTarget(String applicationId, String registryId, String repository) {
    public PushTarget {
        Objects.requireNonNull(applicationId, "applicationId");
        Objects.requireNonNull(registryId, "registryId");
        Objects.requireNonNull(repository, "repository");
    }
}
