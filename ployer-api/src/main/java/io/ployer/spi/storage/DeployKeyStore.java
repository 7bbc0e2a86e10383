package io.ployer.spi.storage;

import io.ployer.api.application.DeployKey;
import java.util.List;
import java.util.Optional;

/** Deploy keys, one per application; the private half is stored as given (encrypted). */
public interface DeployKeyStore {
    Optional<DeployKey> find(String applicationId);

    void upsert(DeployKey key);

    boolean delete(String applicationId);

    List<DeployKey> listAll();
}
