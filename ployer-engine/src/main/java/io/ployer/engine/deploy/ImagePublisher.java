package io.ployer.engine.deploy;

import io.ployer.api.application.Application;
import io.ployer.api.deployment.Deployment;
import io.ployer.spi.plugin.Cancellation;
import io.ployer.spi.runtime.ContainerRuntime;
import java.util.function.Consumer;

/**
 * What happens to an image the pipeline built, before it starts: pushed to the application's
 * registry, if it names one. A failure fails the deployment.
 */
@FunctionalInterface
public interface ImagePublisher {
    /** Publishes nothing. */
    ImagePublisher NONE = (application, deployment, image, runtime, log, cancellation) -> {
    };

    void publish(Application application, Deployment deployment, String image, ContainerRuntime runtime, Consumer<String> log,
                 Cancellation cancellation);
}
