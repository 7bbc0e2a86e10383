package io.ployer.engine.source;

import io.ployer.api.PloyerException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.eclipse.jgit.lib.Repository;

/**
 * What Ployer accepts as a repository URL, branch and commit. Git URLs reach a transport, so the
 * rules refuse everything that could turn into a command ({@code ext::}, {@code fd::}, a leading
 * {@code -}), credentials that would leak into logs, and whitespace or control characters.
 */
public final class GitUrlRules {
    private static final int MAX_URL_LENGTH = 2048;
    private static final Pattern SCP_LIKE = Pattern.compile("[A-Za-z0-9._][A-Za-z0-9._-]*@[A-Za-z0-9][A-Za-z0-9.-]*:[A-Za-z0-9._~/+-][^\\s]*");
    private static final Pattern SCP_LIKE_PARTS = Pattern.compile("[^@/:]+@([^:/]+):.*");
    private static final Pattern USER = Pattern.compile("[A-Za-z0-9._][A-Za-z0-9._-]*");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?|\\[[0-9A-Fa-f:.]+\\]");
    private static final Pattern SHA = Pattern.compile("[0-9a-f]{7,40}");
    private static final Pattern TRANSPORT_PREFIX = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*::.*");

    private GitUrlRules() {
    }

    /**
     * Which repository URLs are accepted beyond https, ssh and {@code git@host:path}.
     *
     * @param allowFileUrls     {@code file://} repositories ({@code git.allow-file-urls}, default false)
     * @param allowInsecureUrls {@code http://} and {@code git://}, which neither encrypt nor authenticate the server
     *                          ({@code git.allow-insecure-urls}, default false)
     */
    public record Policy(boolean allowFileUrls, boolean allowInsecureUrls) {
    }

    /** Checks a repository URL with only https, ssh (and, when allowed, file) URLs accepted; field {@code git_url}. */
    public static void validateUrl(String url, boolean allowFileUrls) {
        validateUrl(url, new Policy(allowFileUrls, false));
    }

    /**
     * Checks a repository URL; field {@code git_url}. The rules: https, ssh ({@code ssh://} or
     * {@code user@host:path}), and only when enabled http, git and file URLs; a host name or IP
     * literal; no user or host beginning with {@code -} (ssh would read it as an option, as in
     * {@code ssh://-oProxyCommand=…@host/x}); no credentials; no remote helpers ({@code ext::},
     * {@code fd::}); no whitespace or control characters; at most 2048 characters.
     */
    public static void validateUrl(String url, Policy policy) {
        if (url == null || url.isBlank()) {
            throw PloyerException.invalid("git_url", "is required");
        }
        if (url.length() > MAX_URL_LENGTH) {
            throw PloyerException.invalid("git_url", "must be at most " + MAX_URL_LENGTH + " characters");
        }
        if (url.chars().anyMatch(character -> Character.isWhitespace(character) || Character.isISOControl(character))) {
            throw PloyerException.invalid("git_url", "must not contain whitespace or control characters");
        }
        if (url.startsWith("-")) {
            throw PloyerException.invalid("git_url", "must not start with '-'");
        }
        if (TRANSPORT_PREFIX.matcher(url).matches()) {
            throw PloyerException.invalid("git_url", "remote helpers such as ext:: and fd:: are not allowed");
        }
        String lower = url.toLowerCase(Locale.ROOT);
        boolean insecure = lower.startsWith("http://") || lower.startsWith("git://");
        if (insecure && !policy.allowInsecureUrls()) {
            throw PloyerException.invalid("git_url", "plain " + lower.substring(0, lower.indexOf(':')) + ":// is not allowed (it is "
                    + "neither encrypted nor authenticated); use https:// or ssh, or set git.allow-insecure-urls=true");
        }
        if (lower.startsWith("https://") || lower.startsWith("ssh://") || lower.startsWith("file://") || insecure) {
            URI uri;
            try {
                uri = new URI(url);
            } catch (URISyntaxException e) {
                throw PloyerException.invalid("git_url", "is not a valid URL");
            }
            String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
            if (scheme.equals("file")) {
                if (!policy.allowFileUrls()) {
                    throw PloyerException.invalid("git_url", "file:// repositories are not enabled (git.allow-file-urls)");
                }
                if (uri.getPath() == null || uri.getPath().isEmpty()) {
                    throw PloyerException.invalid("git_url", "a file:// URL needs a path");
                }
                return;
            }
            String userInfo = uri.getUserInfo();
            if (userInfo != null && userInfo.startsWith("-") || uri.getRawAuthority() != null && uri.getRawAuthority().startsWith("-")) {
                throw PloyerException.invalid("git_url", "must not name a user or host beginning with '-'");
            }
            if (uri.getHost() == null || !HOST.matcher(uri.getHost()).matches()) {
                throw PloyerException.invalid("git_url", "must name a host");
            }
            String rawUserInfo = uri.getRawUserInfo();
            if (rawUserInfo != null && (!scheme.equals("ssh") || rawUserInfo.contains(":"))) {
                throw PloyerException.invalid("git_url", "must not contain credentials; use a deploy key or a token instead");
            }
            if (rawUserInfo != null && !USER.matcher(userInfo).matches()) {
                throw PloyerException.invalid("git_url", "must name a user of letters, digits, '.', '_' or '-'");
            }
            if (uri.getPath() == null || uri.getPath().length() < 2) {
                throw PloyerException.invalid("git_url", "must name a repository path");
            }
            return;
        }
        if (SCP_LIKE.matcher(url).matches() && !url.contains("::")) {
            return;
        }
        if (url.matches("[^@/:]*@-.*")) {
            throw PloyerException.invalid("git_url", "must not name a user or host beginning with '-'");
        }
        throw PloyerException.invalid("git_url", "must be an https://, ssh:// or git@host:path URL"
                + (policy.allowInsecureUrls() ? " (or http://, git://)" : "") + (policy.allowFileUrls() ? " (or file://)" : ""));
    }

    /** The host a (valid) repository URL connects to, without brackets; empty for file URLs. */
    public static Optional<String> host(String url) {
        if (url == null) {
            return Optional.empty();
        }
        String lower = url.toLowerCase(Locale.ROOT);
        if (lower.startsWith("file://")) {
            return Optional.empty();
        }
        if (lower.matches("[a-z][a-z0-9+.-]*://.*")) {
            try {
                return Optional.ofNullable(new URI(url).getHost()).map(GitUrlRules::unbracket);
            } catch (URISyntaxException e) {
                return Optional.empty();
            }
        }
        java.util.regex.Matcher scp = SCP_LIKE_PARTS.matcher(url);
        return scp.matches() ? Optional.of(unbracket(scp.group(1))) : Optional.empty();
    }

    private static String unbracket(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** Checks a branch name by git's ref-name rules; field {@code branch}. */
    public static void validateBranch(String branch) {
        if (branch == null || branch.isBlank()) {
            throw PloyerException.invalid("branch", "is required");
        }
        if (branch.length() > 255) {
            throw PloyerException.invalid("branch", "must be at most 255 characters");
        }
        if (branch.startsWith("-") || branch.contains("..") || branch.contains("@{")
                || branch.chars().anyMatch(Character::isISOControl)
                || !Repository.isValidRefName("refs/heads/" + branch)) {
            throw PloyerException.invalid("branch", "must be a valid git branch name (no leading '-', '..', '@{', "
                    + "spaces, control characters, '~^:?*[\\', or a trailing '/', '.' or '.lock')");
        }
    }

    /** Checks a commit id; field {@code commit_sha}. */
    public static void validateCommitSha(String sha) {
        if (sha == null || !SHA.matcher(sha).matches()) {
            throw PloyerException.invalid("commit_sha", "must be 7 to 40 lower-case hexadecimal characters");
        }
    }

    /** The URL without any user information, for log lines and messages. */
    public static String redactUrl(String url) {
        if (url == null) {
            return null;
        }
        return url.replaceAll("^([A-Za-z][A-Za-z0-9+.-]*://)[^/@]*@", "$1");
    }
}
