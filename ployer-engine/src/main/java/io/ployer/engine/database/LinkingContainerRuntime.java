package io.ployer.engine.database;

import io.ployer.spi.runtime.ContainerRuntime;
import io.ployer.spi.runtime.ContainerSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The runtime the deployment pipeline gets when databases are on: every container it creates for an
 * application gets the variables of the application's database links (the application's own
 * variables win) and is connected to the linked databases' networks before it starts. So a link
 * takes effect at the application's next deploy without the pipeline knowing about databases.
 */
public final class LinkingContainerRuntime extends io.ployer.engine.container.ForwardingContainerRuntime {
    private final Function<String, DefaultDatabaseService.LinkedResources> links;

    LinkingContainerRuntime(ContainerRuntime delegate, Function<String, DefaultDatabaseService.LinkedResources> links) {
        super(delegate);
        this.links = links;
    }

    /** Wraps {@code runtime} so containers of applications linked through {@code databases} get their links. */
    public static ContainerRuntime linking(ContainerRuntime runtime, DefaultDatabaseService databases) {
        return new LinkingContainerRuntime(runtime, databases::linkedResources);
    }

    @Override
    public String createContainer(ContainerSpec spec) {
        String applicationId = spec.labels().get(LABEL_APP);
        if (applicationId == null || spec.labels().get(LABEL_DEPLOYMENT) == null) {
            return delegate.createContainer(spec);
        }
        DefaultDatabaseService.LinkedResources linked = links.apply(applicationId);
        if (linked.networks().isEmpty()) {
            return delegate.createContainer(spec);
        }
        Map<String, String> environment = new LinkedHashMap<>(linked.environment());
        environment.putAll(spec.environment());
        String containerId = delegate.createContainer(new ContainerSpec(spec.name(), spec.image(), environment, spec.exposedPort(),
                spec.labels(), spec.limits(), spec.restartPolicy(), spec.command(), spec.network(), spec.mounts(), spec.entrypoint(), spec.publishHost()));
        try {
            for (String network : linked.networks()) {
                delegate.connectNetwork(network, containerId, List.of());
            }
        } catch (RuntimeException e) {
            delegate.removeContainer(containerId, true);
            throw e;
        }
        return containerId;
    }
}
