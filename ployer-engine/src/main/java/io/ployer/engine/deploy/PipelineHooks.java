package io.ployer.engine.deploy;

import io.ployer.api.application.Application;
import io.ployer.api.deployment.Deployment;
import io.ployer.api.container.Mount;
import io.ployer.spi.runtime.ContainerRuntime;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * What the engine adds to every run after the pipeline is built: where built images go before they
 * start (a registry push), the mounts added to every container (the application's configuration
 * files) and the runtime of the remote server an application is assigned to. Nothing by default
 * (an application assigned to a remote server is then refused).
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

    private volatile Function<Application, Optional<ContainerRuntime>> serverRuntimes;
    private volatile BiFunction<Application, io.ployer.api.container.Endpoint, io.ployer.api.container.Endpoint> probeEndpoints =
            (application, endpoint) -> endpoint;

    /** Where this machine's health probes reach an application's endpoint (through SSH, on a remote server). */
    io.ployer.api.container.Endpoint probeEndpoint(Application application, io.ployer.api.container.Endpoint endpoint) {
        return probeEndpoints.apply(application, endpoint);
    }

    void probeEndpoints(BiFunction<Application, io.ployer.api.container.Endpoint, io.ployer.api.container.Endpoint> endpoints) {
        this.probeEndpoints = Objects.requireNonNull(endpoints, "endpoints");
    }

    /** The runtime of the application's remote server, or empty for this machine; null when remote deploys are off. */
    Function<Application, Optional<ContainerRuntime>> serverRuntimes() {
        return serverRuntimes;
    }

    void serverRuntimes(Function<Application, Optional<ContainerRuntime>> runtimes) {
        this.serverRuntimes = Objects.requireNonNull(runtimes, "runtimes");
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
