package io.ployer.engine.registry;

import io.ployer.spi.plugin.Cancellation;
import io.ployer.spi.runtime.ContainerRuntime;
import io.ployer.spi.runtime.RegistryAuth;
import java.util.function.Consumer;

/**
 * The runtime the deployment pipeline (and so every build strategy) sees: a pull or push without
 * credentials of its own uses those of the configured registry the image reference names, if any;
 * otherwise the runtime's own (Docker's client config). Everything else goes straight through.
 */
public final class RegistryAwareRuntime extends io.ployer.engine.container.ForwardingContainerRuntime {
    private final DefaultRegistryService registries;

    public RegistryAwareRuntime(ContainerRuntime delegate, DefaultRegistryService registries) {
        super(delegate);
        this.registries = registries;
    }

    @Override
    public void pullImage(String imageRef, Consumer<String> log, Cancellation cancellation) {
        pullImage(imageRef, null, log, cancellation);
    }

    @Override
    public void pullImage(String imageRef, RegistryAuth auth, Consumer<String> log, Cancellation cancellation) {
        RegistryAuth chosen = auth != null ? auth : registries.authFor(imageRef).orElse(null);
        if (chosen == null) {
            delegate.pullImage(imageRef, log, cancellation);
        } else {
            delegate.pullImage(imageRef, chosen, log, cancellation);
        }
    }

    @Override
    public String pushImage(String sourceRef, String targetRef, RegistryAuth auth, Consumer<String> log, Cancellation cancellation) {
        RegistryAuth chosen = auth != null ? auth : registries.authFor(targetRef).orElse(null);
        return delegate.pushImage(sourceRef, targetRef, chosen, log, cancellation);
    }
}
