package io.ployer.engine.preview;

import io.ployer.api.PloyerException;
import io.ployer.api.preview.PreviewSettings;
import java.net.URI;
import java.util.Optional;

/** Checks preview settings before anything is written. */
final class PreviewRules {
    private PreviewRules() {
    }

    static void check(PreviewSettings settings) {
        String pattern = settings.domainPattern();
        if (pattern.isBlank() || pattern.length() > 200 || !pattern.contains("{number}")) {
            throw PloyerException.invalid("domain_pattern", "must name {number} (for example pr-{number}.{domain}), at most 200 characters");
        }
        try {
            PreviewNames.host(pattern, 12345, Optional.of("app.example.com"));
        } catch (PloyerException e) {
            throw PloyerException.invalid("domain_pattern", "does not make a valid hostname: " + e.getMessage());
        }
        if (settings.maxPreviews() < 1 || settings.maxPreviews() > 50) {
            throw PloyerException.invalid("max_previews", "must be within 1..50");
        }
        if (settings.expireDays() < 1 || settings.expireDays() > 365) {
            throw PloyerException.invalid("expire_days", "must be within 1..365");
        }
        String url = settings.statusApiUrl();
        if (url != null) {
            URI uri;
            try {
                uri = URI.create(url);
            } catch (IllegalArgumentException e) {
                throw PloyerException.invalid("status_api_url", "is not a URL");
            }
            if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null || uri.getRawUserInfo() != null
                    || uri.getRawQuery() != null || uri.getRawFragment() != null || url.length() > 500) {
                throw PloyerException.invalid("status_api_url", "must be an http(s) URL without user, query or fragment, "
                        + "such as https://api.github.com");
            }
            boolean loopback = uri.getHost().equals("localhost") || uri.getHost().startsWith("127.") || uri.getHost().equals("[::1]");
            if ("http".equals(uri.getScheme()) && !loopback) {
                throw PloyerException.invalid("status_api_url", "must use https (the git token travels with each report); "
                        + "http only for a loopback host");
            }
        }
    }
}
