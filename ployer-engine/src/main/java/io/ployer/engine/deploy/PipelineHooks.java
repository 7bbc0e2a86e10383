package io.ployer.engine.deploy;

import io.ployer.api.application.Application;
import io.ployer.api.deployment.Deployment;
import io.ployer.api.container.Mount;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * What the engine adds to every run after the pipeline is built: where built images go before they
 * start (a registry push) and the mounts added to every container (the application's configuration
 * files). Nothing by default.
 */
final class PipelineHooks {
    private volatile ImagePublisher imagePublisher = ImagePublisher.NONE;
    private volatile BiFunction<Application, Deployment, List<Mount>> extraMounts = (application, deployment) -> List.of();

    private volatile StackDeployer stackDeployer = StackDeployer.NONE;

    StackDeployer stackDeployer() {
        return stackDeployer;
    }

    void stackDeployer(StackDeployer deployer) {
        this.stackDeployer = Objects.requireNonNull(deployer, "deployer");
    }

    ImagePublisher imagePublisher() {
        return imagePublisher;
    }

    void imagePublisher(ImagePublisher publisher) {
        this.imagePublisher = Objects.requireNonNull(publisher, "publisher");
    }

    List<Mount> extraMounts(Application application, Deployment deployment) {
        return extraMounts.apply(application, deployment);
    }

    void extraMounts(BiFunction<Application, Deployment, List<Mount>> mounts) {
        this.extraMounts = Objects.requireNonNull(mounts, "mounts");
    }
}
