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
     * What a checkout may authenticate with, resolved by the run before it starts (a checkout never
     * asks for them itself); its {@link #toString()} shows no value.
     *
     * @param gitToken         the plain https token, or {@code null}
     * @param privateDeployKey the plain private half of the deploy key for ssh, or {@code null}
     */
    record Credentials(String gitToken, String privateDeployKey) {
        /** None: a public repository, or a source that needs none. */
        public static final Credentials NONE = new Credentials(null, null);

        @Override
        public String toString() {
            return "Credentials[" + (gitToken == null ? "no token" : "a token") + ", "
                    + (privateDeployKey == null ? "no deploy key" : "a deploy key") + "]";
        }
    }

    /**
     * Checks out {@code commitSha} (or the head of the app's branch when {@code null}) with
     * {@code credentials}, logging progress. Fails with GIT_FAILURE or CANCELLED.
     */
    CheckedOut checkout(Application application, String commitSha, Credentials credentials, Consumer<String> log,
                        Cancellation cancellation);
}
