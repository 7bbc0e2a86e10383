package io.ployer.spi.storage;

import io.ployer.api.application.Domain;
import java.util.List;
import java.util.Optional;

/** Domains; a hostname is unique across applications. */
public interface DomainStore {
    /** The app's domains, primary first, then by hostname. */
    List<Domain> listByApplication(String applicationId);

    Optional<Domain> findByHostname(String hostname);

    void insert(Domain domain);

    /** Replaces the row with the same id. */
    void update(Domain domain);

    boolean delete(String applicationId, String hostname);

    /** Every domain, ordered by hostname. */
    List<Domain> listAll();
}
