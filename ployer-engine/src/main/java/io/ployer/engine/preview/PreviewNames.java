package io.ployer.engine.preview;

import io.ployer.api.PloyerException;
import io.ployer.engine.application.ApplicationRules;
import java.util.Optional;

/** The host and the application name of a preview. */
final class PreviewNames {
    private PreviewNames() {
    }

    static String host(String pattern, int number, Optional<String> domain) {
        if (pattern.contains("{domain}") && domain.isEmpty()) {
            throw PloyerException.invalid("domain_pattern", "names {domain}, but the application has no domain: add one, "
                    + "or set a pattern without {domain}");
        }
        return ApplicationRules.hostname(pattern.replace("{number}", String.valueOf(number)).replace("{domain}", domain.orElse("")), false);
    }

    /** {@code <app>-pr-<n>}, the app's name shortened to keep a DNS label of at most 63 characters. */
    static String childName(String parent, int number) {
        String suffix = "-pr-" + number;
        String base = parent.length() + suffix.length() > 63 ? parent.substring(0, 63 - suffix.length()) : parent;
        while (base.endsWith("-")) {
            base = base.substring(0, base.length() - 1);
        }
        return base + suffix;
    }
}
