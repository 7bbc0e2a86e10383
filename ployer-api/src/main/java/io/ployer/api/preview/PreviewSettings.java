package io.ployer.api.preview;

import java.util.Objects;

/**
 * How an application previews its pull requests.
 *
 * @param applicationId the application
 * @param enabled       whether pull request events deploy previews (default true; the forge must send them)
 * @param domainPattern the preview's host: {@code {number}} is the pull request's number and {@code {domain}}
 *                      the application's primary domain (default {@value #DEFAULT_DOMAIN_PATTERN})
 * @param maxPreviews   how many previews may run at once (1–50, default 5); a pull request over the limit is skipped
 * @param expireDays    a preview without pull request activity for this many days is removed (1–365, default 7)
 * @param allowForks    whether pull requests from forks are previewed (default false: a fork's code would run
 *                      with the preview's env values, secrets included)
 * @param statusApiUrl  the forge API's base URL for commit statuses, or null for the one the payload names
 *                      (e.g. {@code https://api.github.com}, {@code https://gitlab.example.com/api/v4})
 */
public record PreviewSettings(String applicationId, boolean enabled, String domainPattern, int maxPreviews, int expireDays,
                              boolean allowForks, String statusApiUrl) {
    public static final String DEFAULT_DOMAIN_PATTERN = "pr-{number}.{domain}";
    public static final int DEFAULT_MAX_PREVIEWS = 5;
    public static final int DEFAULT_EXPIRE_DAYS = 7;

    public PreviewSettings {
        Objects.requireNonNull(applicationId, "applicationId");
        domainPattern = domainPattern == null ? DEFAULT_DOMAIN_PATTERN : domainPattern;
    }

    /** The settings of an application that never changed them. */
    public static PreviewSettings defaults(String applicationId) {
        return new PreviewSettings(applicationId, true, DEFAULT_DOMAIN_PATTERN, DEFAULT_MAX_PREVIEWS, DEFAULT_EXPIRE_DAYS, false, null);
    }

    /** The settings with {@code changes} applied ({@code null} fields keep their value; an empty status URL clears it). */
    public PreviewSettings with(PreviewSettingsChange changes) {
        return new PreviewSettings(applicationId,
                changes.enabled() != null ? changes.enabled() : enabled,
                changes.domainPattern() != null ? changes.domainPattern() : domainPattern,
                changes.maxPreviews() != null ? changes.maxPreviews() : maxPreviews,
                changes.expireDays() != null ? changes.expireDays() : expireDays,
                changes.allowForks() != null ? changes.allowForks() : allowForks,
                changes.statusApiUrl() == null ? statusApiUrl : changes.statusApiUrl().isEmpty() ? null : changes.statusApiUrl());
    }
}
