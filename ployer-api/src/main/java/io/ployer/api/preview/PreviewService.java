package io.ployer.api.preview;

import io.ployer.api.application.EnvVar;
import java.util.List;

/**
 * Preview deployments of pull (merge) requests. Pull request events arrive through the
 * application's webhook ({@link io.ployer.api.webhook.WebhookService#receive}); this service
 * lists the previews and keeps their settings and env values. Preview env values are separate
 * from the application's own, stored encrypted like them, and handed to every preview deployment.
 */
public interface PreviewService {

    /** The application's running previews, by pull request number. */
    List<Preview> list(String applicationId);

    /** The application's preview settings (the defaults until changed). */
    PreviewSettings settings(String applicationId);

    /** Changes the preview settings; INVALID_ARGUMENT naming the field on a bad value, nothing changed. */
    PreviewSettings updateSettings(String applicationId, PreviewSettingsChange changes);

    /** The preview env values, masked. */
    List<EnvVar> envVars(String applicationId);

    /** Adds or replaces a preview env value (used from the next preview deployment on); returned masked. */
    EnvVar setEnvVar(String applicationId, String key, String value, boolean buildTime);

    /** Deletes a preview env value; NOT_FOUND when there is none with this key. */
    void deleteEnvVar(String applicationId, String key);

    /** Removes the preview of pull request {@code number} now (containers, route, images); NOT_FOUND when none. */
    void delete(String applicationId, int number);

    /** Removes every preview idle for longer than its application's {@code expireDays}; returns how many. */
    int expire();
}
