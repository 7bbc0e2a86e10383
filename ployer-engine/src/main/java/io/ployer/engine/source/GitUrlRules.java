package io.ployer.engine.source;

import io.ployer.api.PloyerException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Pattern;
import org.eclipse.jgit.lib.Repository;

/**
 * What Ployer accepts as a repository URL, branch and commit. Git URLs reach a transport, so the
 * rules refuse everything that could turn into a command ({@code ext::}, {@code fd::}, a leading
 * {@code -}), credentials that would leak into logs, and whitespace or control characters.
 */
public final class GitUrlRules {
    private static final int MAX_URL_LENGTH = 2048;
    private static final Pattern SCP_LIKE = Pattern.compile("[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[A-Za-z0-9._~/+-][^\\s]*");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?|\\[[0-9A-Fa-f:.]+\\]");
    private static final Pattern SHA = Pattern.compile("[0-9a-f]{7,40}");
    private static final Pattern TRANSPORT_PREFIX = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*::.*");

    private GitUrlRules() {
    }

    /** Checks a repository URL; field {@code git_url}. */
    public static void validateUrl(String url, boolean allowFileUrls) {
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
        if (lower.startsWith("https://") || lower.startsWith("ssh://") || lower.startsWith("file://")) {
            URI uri;
            try {
                uri = new URI(url);
            } catch (URISyntaxException e) {
                throw PloyerException.invalid("git_url", "is not a valid URL");
            }
            String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
            if (scheme.equals("file")) {
                if (!allowFileUrls) {
                    throw PloyerException.invalid("git_url", "file:// repositories are not enabled (git.allow-file-urls)");
                }
                if (uri.getPath() == null || uri.getPath().isEmpty()) {
                    throw PloyerException.invalid("git_url", "a file:// URL needs a path");
                }
                return;
            }
            if (uri.getHost() == null || !HOST.matcher(uri.getHost()).matches()) {
                throw PloyerException.invalid("git_url", "must name a host");
            }
            String userInfo = uri.getRawUserInfo();
            if (userInfo != null && (scheme.equals("https") || userInfo.contains(":"))) {
                throw PloyerException.invalid("git_url", "must not contain credentials; use a deploy key or a token instead");
            }
            if (uri.getPath() == null || uri.getPath().length() < 2) {
                throw PloyerException.invalid("git_url", "must name a repository path");
            }
            return;
        }
        if (lower.startsWith("http://")) {
            throw PloyerException.invalid("git_url", "plain http:// is not allowed; use https:// or ssh");
        }
        if (SCP_LIKE.matcher(url).matches() && !url.contains("::")) {
            return;
        }
        throw PloyerException.invalid("git_url", "must be an https://, ssh:// or git@host:path URL");
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
