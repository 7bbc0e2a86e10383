package io.ployer.engine.source;

// PLACEHOLDER until the git-source branch merges.
public final class GitUrlRules {
    private GitUrlRules() { }
    public static void validateUrl(String url, boolean allowFileUrls) { }
    public static void validateBranch(String branch) { }
    public static void validateCommitSha(String sha) { }
    public static String redactUrl(String url) { return url; }
}
