package io.ployer.spi.git;

import java.util.List;
import java.util.Objects;

/** What a webhook delivery says happened. */
public sealed interface WebhookEvent {

    /**
     * Commits were pushed to a branch.
     *
     * @param repositoryUrl  the repository's URL as the forge names it first (recorded with the delivery), or null
     * @param repositoryUrls every URL the payload gives for the repository (clone, ssh, html …), the first being
     *                       {@code repositoryUrl}; a push is only acted on when one of them names the application's
     *                       repository. Empty when the payload names no repository.
     */
    record Push(String branch, String commitSha, String author, String message, String repositoryUrl, List<String> repositoryUrls)
            implements WebhookEvent {
        public Push {
            Objects.requireNonNull(branch, "branch");
            Objects.requireNonNull(commitSha, "commitSha");
            repositoryUrls = repositoryUrls == null ? List.of()
                    : repositoryUrls.stream().filter(url -> url != null && !url.isBlank()).distinct().toList();
            if (repositoryUrl == null && !repositoryUrls.isEmpty()) {
                repositoryUrl = repositoryUrls.get(0);
            }
        }

        /** A push naming its repository by one URL (or none). */
        public Push(String branch, String commitSha, String author, String message, String repositoryUrl) {
            this(branch, commitSha, author, message, repositoryUrl, repositoryUrl == null ? List.of() : List.of(repositoryUrl));
        }
    }

    /** A tag was pushed. */
    record TagPush(String tag, String commitSha) implements WebhookEvent {
    }

    /** A branch was deleted. */
    record BranchDeleted(String branch) implements WebhookEvent {
    }

    /** A ping / test delivery sent when the webhook is set up. */
    record Ping() implements WebhookEvent {
    }

    /**
     * A pull (merge) request was opened, received new commits, or was closed (merged or not).
     *
     * @param action          what happened
     * @param number          its number at the forge (GitLab's {@code iid})
     * @param title           its title, or null
     * @param author          who opened it, or null
     * @param baseBranch      the branch it targets
     * @param headBranch      the branch it proposes
     * @param headSha         the head commit (Bitbucket sends 12 characters)
     * @param repositoryUrls  every URL of the target repository (checked against the application's)
     * @param headCloneUrls   clone URLs of the repository the head lives in (the target's own for a same-repository request)
     * @param fork            whether the head lives in another repository
     * @param repository      how the forge's status API names the target repository ({@code owner/name}, GitLab's project id)
     * @param apiUrl          the forge API's base URL as the payload shows it, or null
     */
    record PullRequest(Action action, int number, String title, String author, String baseBranch, String headBranch,
                       String headSha, List<String> repositoryUrls, List<String> headCloneUrls, boolean fork,
                       String repository, String apiUrl) implements WebhookEvent {
        /** What happened to the pull request. */
        public enum Action { OPENED, UPDATED, CLOSED }

        public PullRequest {
            Objects.requireNonNull(action, "action");
            Objects.requireNonNull(baseBranch, "baseBranch");
            Objects.requireNonNull(headBranch, "headBranch");
            Objects.requireNonNull(headSha, "headSha");
            repositoryUrls = repositoryUrls == null ? List.of()
                    : repositoryUrls.stream().filter(url -> url != null && !url.isBlank()).distinct().toList();
            headCloneUrls = headCloneUrls == null ? List.of()
                    : headCloneUrls.stream().filter(url -> url != null && !url.isBlank()).distinct().toList();
        }
    }

    /** Any other event kind. */
    record Other(String kind) implements WebhookEvent {
    }
}
