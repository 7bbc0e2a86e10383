package io.ployer.api.preview;

/** A change of preview settings; {@code null} fields keep their value, an empty {@code statusApiUrl} clears it. */
public record PreviewSettingsChange(Boolean enabled, String domainPattern, Integer maxPreviews, Integer expireDays,
                                    Boolean allowForks, String statusApiUrl) {
}
