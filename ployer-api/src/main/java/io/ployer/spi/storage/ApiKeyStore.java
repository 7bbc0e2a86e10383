package io.ployer.spi.storage;

import io.ployer.api.account.ApiKey;
import java.util.List;
import java.util.Optional;

/** API keys, stored as hashes. */
public interface ApiKeyStore {
    void insert(ApiKey key);

    void update(ApiKey key);

    Optional<ApiKey> findById(String id);

    Optional<ApiKey> findByHash(String keyHash);

    List<ApiKey> listByUser(String userId);

    boolean delete(String id);
}
