package io.ployer.engine;

import io.ployer.api.application.Application;
import io.ployer.api.application.DeployKey;
import io.ployer.engine.application.ApplicationInternals;
import io.ployer.engine.deploy.SourceCheckout;
import io.ployer.engine.source.GitSource;
import io.ployer.engine.source.GitUrlRules;
import io.ployer.spi.plugin.Cancellation;
import java.nio.file.Path;
import java.util.function.Consumer;

/** Checks out an application's repository with JGit into its workspace, with its deploy key when it has one. */
final class GitSourceCheckout implements SourceCheckout {
    /** Made on the first checkout: JGit (a signed jar, its manifest held in memory) is not loaded before. */
    private GitSource git;
    private final ApplicationInternals applications;
    private final Path workspaces;

    GitSourceCheckout(ApplicationInternals applications, Path workspaces) {
        this.applications = applications;
        this.workspaces = workspaces;
    }

    private synchronized GitSource git() {
        if (git == null) {
            git = new GitSource();
        }
        return git;
    }

    @Override
    public CheckedOut checkout(Application application, String commitSha, Consumer<String> log, Cancellation cancellation) {
        // The host is checked again right before the clone (a name may resolve elsewhere than when the URL was set).
        // JGit resolves it once more itself when it connects; the JVM caches the answer just checked
        // (networkaddress.cache.ttl, 30 s by default), so that lookup normally gets the same addresses.
        GitUrlRules.host(application.gitUrl()).ifPresent(host -> applications.networkTargets().checkIfResolvable(host, "git_url"));
        boolean ssh = !application.gitUrl().startsWith("https://") && !application.gitUrl().startsWith("file://");
        String deployKey = ssh ? applications.privateDeployKey(application.id()).map(DeployKey::privateKey).orElse(null) : null;
        String token = application.gitUrl().startsWith("https://") ? applications.gitToken(application.id()).orElse(null) : null;
        GitSource.CheckoutResult result = git().checkout(new GitSource.CheckoutRequest(application.gitUrl(), application.branch(),
                commitSha, workspaces.resolve(application.id()), token, deployKey, workspaces.resolve(".ssh")), log, cancellation);
        return new CheckedOut(result.directory(), result.commitSha(), result.commitMessage());
    }
}
