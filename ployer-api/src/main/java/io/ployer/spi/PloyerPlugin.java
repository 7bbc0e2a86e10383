package io.ployer.spi;

import io.ployer.api.Plugin;
import io.ployer.spi.build.BuildStrategyFactory;
import io.ployer.spi.git.GitProviderFactory;
import io.ployer.spi.notify.NotifierFactory;
import io.ployer.spi.proxy.ReverseProxyFactory;
import io.ployer.spi.runtime.ContainerRuntimeFactory;
import io.ployer.spi.storage.StorageFactory;
import java.util.List;

/**
 * The entry point of a plugin jar, listed in {@code META-INF/services/io.ployer.spi.PloyerPlugin}.
 * It only hands out factories; every method has a default returning none, so a plugin overrides
 * what it provides and new extension points never break old plugins. Being on the class path
 * does not activate anything: the engine's configuration picks which factory runs. An embedder
 * may also hand one to {@code PloyerBuilder.plugin}.
 */
public interface PloyerPlugin extends Plugin {

    default List<StorageFactory> storageFactories() {
        return List.of();
    }

    default List<ContainerRuntimeFactory> containerRuntimeFactories() {
        return List.of();
    }

    default List<BuildStrategyFactory> buildStrategyFactories() {
        return List.of();
    }

    default List<ReverseProxyFactory> reverseProxyFactories() {
        return List.of();
    }

    default List<GitProviderFactory> gitProviderFactories() {
        return List.of();
    }

    /** Notifiers, each a type of notification channel. */
    default List<NotifierFactory> notifierFactories() {
        return List.of();
    }
}
