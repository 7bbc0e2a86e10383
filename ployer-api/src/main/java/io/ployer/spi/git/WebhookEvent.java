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

    /** Any other event kind. */
    record Other(String kind) implements WebhookEvent {
    }
}
