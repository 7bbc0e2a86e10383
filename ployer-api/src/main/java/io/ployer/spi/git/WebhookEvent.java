package io.ployer.spi.git;

import java.util.Objects;

/** What a webhook delivery says happened. */
public sealed interface WebhookEvent {

    /** Commits were pushed to a branch. */
    record Push(String branch, String commitSha, String author, String message, String repositoryUrl)
            implements WebhookEvent {
        public Push {
            Objects.requireNonNull(branch, "branch");
            Objects.requireNonNull(commitSha, "commitSha");
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
