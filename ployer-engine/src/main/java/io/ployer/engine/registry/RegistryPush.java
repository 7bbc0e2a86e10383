package io.ployer.engine.registry;

import io.ployer.api.application.Application;
import io.ployer.api.deployment.Deployment;
import io.ployer.api.registry.PushTarget;
import io.ployer.engine.deploy.ImagePublisher;
import io.ployer.spi.plugin.Cancellation;
import io.ployer.spi.runtime.ContainerRuntime;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Build-then-push: an application with a push target has each image built from its source pushed,
 * with the target registry's credentials, as {@code <registry>/<repository>:<deployment id>} and
 * {@code :latest}, before it starts; a failed push fails the deployment. Prebuilt images (the
 * {@code image} strategy) came from a registry and are not pushed again.
 */
public final class RegistryPush implements ImagePublisher {
    private final DefaultRegistryService registries;

    public RegistryPush(DefaultRegistryService registries) {
        this.registries = registries;
    }

    @Override
    public void publish(Application application, Deployment deployment, String image, ContainerRuntime runtime, Consumer<String> log,
                        Cancellation cancellation) {
        if ("image".equals(application.buildStrategy())) {
            return;
        }
        Optional<PushTarget> target = registries.pushTargetOrNone(application.id());
        if (target.isEmpty()) {
            return;
        }
        String repository = registries.url(target.get().registryId()) + "/" + target.get().repository();
        var auth = registries.auth(target.get().registryId());
        String digest = runtime.pushImage(image, repository + ":" + deployment.id(), auth, log, cancellation);
        runtime.pushImage(image, repository + ":latest", auth, log, cancellation);
        log.accept("Pushed " + repository + ":" + deployment.id() + " and :latest (" + digest + ")");
    }
}
