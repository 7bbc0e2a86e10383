package io.ployer.api.registry;

import java.util.List;

/** Image registries and their credentials (admin only in the REST API). */
public interface RegistryService {

    List<Registry> list();

    /** Fails NOT_FOUND when absent. */
    Registry get(String registryId);

    /** Fails INVALID_INPUT naming the field, CONFLICT when a registry with that url exists. */
    Registry create(RegistrySpec spec);

    Registry update(String registryId, RegistrySpec changes);

    /** Fails CONFLICT while an application pushes to it. */
    void delete(String registryId);

    /** Where the application's built images are pushed, if anywhere. */
    java.util.Optional<PushTarget> pushTarget(String applicationId);

    /** Pushes the application's built images to {@code registryId}/{@code repository} from its next deployment on. */
    PushTarget setPushTarget(String applicationId, String registryId, String repository);

    /** Stops pushing; fails NOT_FOUND when the application pushes nowhere. */
    void clearPushTarget(String applicationId);
}
