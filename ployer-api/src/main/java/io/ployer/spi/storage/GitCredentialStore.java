package io.ployer.spi.storage;

import java.util.Map;
import java.util.Optional;

/** The https token an application clones with, one per application, stored as given (encrypted). */
public interface GitCredentialStore {
    Optional<String> find(String applicationId);

    /** Sets or replaces the application's token. */
    void put(String applicationId, String token);

    boolean delete(String applicationId);

    /** Every application's token, by application id (for key rotation). */
    Map<String, String> listAll();
}
