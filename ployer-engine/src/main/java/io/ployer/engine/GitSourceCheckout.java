package io.ployer.engine;

import io.ployer.api.application.Application;
import io.ployer.engine.deploy.SourceCheckout;
import io.ployer.engine.network.NetworkTargets;
import io.ployer.engine.source.GitSource;
import io.ployer.engine.source.GitUrlRules;
import io.ployer.spi.plugin.Cancellation;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Checks out an application's repository with JGit into its workspace, with the credentials the run
 * resolved (its token over https, its deploy key over ssh).
 */
final class GitSourceCheckout implements SourceCheckout {
    /** Made on the first checkout: JGit (a signed jar, its manifest held in memory) is not loaded before. */
    private GitSource git;
    private final NetworkTargets networkTargets;
    private final Path workspaces;

    /** @param networkTargets which hosts repository URLs may name (checked again right before the clone) */
    GitSourceCheckout(NetworkTargets networkTargets, Path workspaces) {
        this.networkTargets = networkTargets;
        this.workspaces = workspaces;
    }

    private synchronized GitSource git() {
        if (git == null) {
            git = new GitSource();
        }
        return git;
    }

    @Override
    public CheckedOut checkout(Application application, String commitSha, Credentials credentials, Consumer<String> log,
                               Cancellation cancellation) {
        // The host is checked again right before the clone (a name may resolve elsewhere than when the URL was set).
        // JGit resolves it once more itself when it connects; the JVM caches the answer just checked
        // (networkaddress.cache.ttl, 30 s by default), so that lookup normally gets the same addresses.
        GitUrlRules.host(application.gitUrl()).ifPresent(host -> networkTargets.checkIfResolvable(host, "git_url"));
        boolean ssh = !application.gitUrl().startsWith("https://") && !application.gitUrl().startsWith("file://");
        String deployKey = ssh ? credentials.privateDeployKey() : null;
        String token = application.gitUrl().startsWith("https://") ? credentials.gitToken() : null;
        GitSource.CheckoutResult result = git().checkout(new GitSource.CheckoutRequest(application.gitUrl(), application.branch(),
                commitSha, workspaces.resolve(application.id()), token, deployKey, workspaces.resolve(".ssh")), log, cancellation);
        return new CheckedOut(result.directory(), result.commitSha(), result.commitMessage());
    }
}
