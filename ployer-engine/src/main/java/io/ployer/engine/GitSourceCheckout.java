package io.ployer.engine;

import io.ployer.api.application.Application;
import io.ployer.engine.deploy.SourceCheckout;
import io.ployer.spi.Cancellation;
import java.util.function.Consumer;

/** Checks out an application's repository with JGit into its workspace. PLACEHOLDER until git-source merges. */
final class GitSourceCheckout implements SourceCheckout {
    @Override
    public CheckedOut checkout(Application application, String commitSha, Consumer<String> log, Cancellation cancellation) {
        throw new UnsupportedOperationException();
    }
}
