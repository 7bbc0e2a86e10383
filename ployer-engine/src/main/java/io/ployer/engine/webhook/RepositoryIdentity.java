package io.ployer.engine.webhook;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether two git URLs name the same repository, whatever form each forge sends: clone
 * ({@code https://host/owner/repo.git}), ssh ({@code git@host:owner/repo.git},
 * {@code ssh://git@host:2222/owner/repo.git}), git ({@code git://host/owner/repo.git}) or the web page
 * ({@code https://host/owner/repo}). Both are reduced to {@code host/path}: scheme, user, port, a
 * trailing {@code .git} and slashes dropped, compared without regard to case (forges route owner and
 * repository names case-insensitively).
 */
final class RepositoryIdentity {
    private static final Pattern WITH_SCHEME = Pattern.compile("(?i)([a-z][a-z0-9+.-]*)://(?:[^/@]*@)?(\\[[^]]*]|[^/:]*)(?::\\d*)?(/.*)?");
    private static final Pattern SCP_LIKE = Pattern.compile("(?:[^@/:]+@)?(\\[[^]]*]|[^/:]+):(.*)");

    private RepositoryIdentity() {
    }

    /** {@code host/path} of a git URL, lower case, or empty when it is not one. */
    static Optional<String> of(String url) {
        if (url == null || url.isBlank()) {
            return Optional.empty();
        }
        String value = url.strip();
        String host;
        String path;
        Matcher scheme = WITH_SCHEME.matcher(value);
        Matcher scp = SCP_LIKE.matcher(value);
        if (scheme.matches()) {
            host = scheme.group(1).equalsIgnoreCase("file") ? "" : scheme.group(2);
            path = scheme.group(3) == null ? "" : scheme.group(3);
        } else if (scp.matches()) {
            host = scp.group(1);
            path = scp.group(2);
        } else {
            return Optional.empty();
        }
        path = path.replaceAll("/+", "/").replaceAll("^[/~]+|/+$", "");
        if (path.toLowerCase(Locale.ROOT).endsWith(".git")) {
            path = path.substring(0, path.length() - 4).replaceAll("/+$", "");
        }
        if (path.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of((host + "/" + path).toLowerCase(Locale.ROOT));
    }

    /** Whether one of {@code candidates} names the repository of {@code gitUrl}. */
    static boolean anyMatches(String gitUrl, Collection<String> candidates) {
        Optional<String> wanted = of(gitUrl);
        return wanted.isPresent() && candidates.stream().map(RepositoryIdentity::of).anyMatch(wanted::equals);
    }
}
