package io.ployer.spi.storage;

import io.ployer.api.application.EnvVar;
import io.ployer.api.preview.Preview;
import io.ployer.api.preview.PreviewSettings;
import java.util.List;
import java.util.Optional;

/**
 * Preview deployments, their applications' preview settings and preview env values (values stored
 * as given: encrypted by the engine). A preview goes when its parent or its child application is deleted.
 */
public interface PreviewStore {
    Optional<PreviewSettings> settings(String applicationId);

    void putSettings(PreviewSettings settings);

    /** The application's preview env values, by key, as stored. */
    List<EnvVar> envVars(String applicationId);

    Optional<EnvVar> findEnvVar(String applicationId, String key);

    void upsertEnvVar(EnvVar envVar);

    boolean deleteEnvVar(String applicationId, String key);

    void insert(Preview preview);

    /** Replaces the preview with the same id. */
    void update(Preview preview);

    Optional<Preview> find(String applicationId, int number);

    Optional<Preview> findByDeployment(String deploymentId);

    /** The application's previews by number. */
    List<Preview> listByApplication(String applicationId);

    /** Every preview, oldest activity first. */
    List<Preview> listAll();

    boolean delete(String id);
}
