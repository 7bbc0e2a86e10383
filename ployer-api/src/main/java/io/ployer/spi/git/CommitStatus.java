package io.ployer.spi.git;

import java.util.Objects;

/**
 * A commit status to report to a forge (a check shown on the pull request).
 *
 * @param apiUrl      the forge API's base URL ({@code https://api.github.com}, {@code https://gitlab.com/api/v4},
 *                    {@code https://gitea.example.com/api/v1}, {@code https://api.bitbucket.org/2.0}), no trailing slash
 * @param repository  the repository as the forge's API names it ({@code owner/name}, or GitLab's project id)
 * @param sha         the commit
 * @param state       the state to show
 * @param targetUrl   the link shown with it (the preview's URL), or null
 * @param description one line for people (at most 140 characters are sent)
 * @param context     the status's name, stable across updates ({@code ployer/preview})
 * @param token       the token to authenticate with; never logged
 */
public record CommitStatus(String apiUrl, String repository, String sha, State state, String targetUrl, String description,
                           String context, String token) {
    /** The states Ployer reports. */
    public enum State { PENDING, SUCCESS, FAILURE }

    public CommitStatus {
        Objects.requireNonNull(apiUrl, "apiUrl");
        Objects.requireNonNull(repository, "repository");
        Objects.requireNonNull(sha, "sha");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(context, "context");
        apiUrl = apiUrl.endsWith("/") ? apiUrl.substring(0, apiUrl.length() - 1) : apiUrl;
        description = description == null ? "" : description.length() > 140 ? description.substring(0, 139) + "…" : description;
    }

    @Override
    public String toString() {
        return "CommitStatus[" + apiUrl + " " + repository + "@" + sha + " " + state + "]";
    }
}
