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

    void delete(String registryId);
}
