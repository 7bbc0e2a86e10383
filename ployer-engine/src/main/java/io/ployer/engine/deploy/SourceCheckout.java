package io.ployer.engine.deploy;

import io.ployer.api.application.Application;
import io.ployer.spi.plugin.Cancellation;
import java.nio.file.Path;
import java.util.function.Consumer;

/** Brings an application's source to a directory for building. */
public interface SourceCheckout {

    /**
     * What was checked out.
     *
     * @param directory     the source tree
     * @param commitSha     the commit
     * @param commitMessage first line of its message
     */
    record CheckedOut(Path directory, String commitSha, String commitMessage) {
    }

    /**
     * Checks out {@code commitSha} (or the head of the app's branch when {@code null}), logging
     * progress. Fails with GIT_FAILURE or CANCELLED.
     */
    CheckedOut checkout(Application application, String commitSha, Consumer<String> log, Cancellation cancellation);
}
