package io.ployer.engine;

import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.engine.plugin.PluginRegistry;
import io.ployer.engine.plugin.PluginRegistry.Candidate;
import io.ployer.engine.plugin.PluginRole;
import io.ployer.spi.PloyerPlugin;
import io.ployer.spi.plugin.PluginFactory;
import io.ployer.spi.build.BuildStrategyFactory;
import io.ployer.spi.git.GitProviderFactory;
import io.ployer.spi.proxy.ReverseProxyFactory;
import io.ployer.spi.runtime.ContainerRuntimeFactory;
import io.ployer.spi.storage.StorageFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The plugins an engine uses, chosen when it is built (nothing is created or opened here): one
 * storage, at most one runtime and one proxy, every build strategy, forge and notifier found. The
 * settings of the chosen plugins are checked here too, so a mistake fails {@code build()}.
 */
final class PluginChoices {
    final PluginRegistry registry;
    final Candidate<StorageFactory> storage;
    final Optional<Candidate<ContainerRuntimeFactory>> runtime;
    final Optional<Candidate<ReverseProxyFactory>> proxy;
    final Map<String, Candidate<BuildStrategyFactory>> builds;
    final Map<String, Candidate<GitProviderFactory>> gits;
    final Map<String, Candidate<io.ployer.spi.notify.NotifierFactory>> notifiers;
    private final EngineConfig config;

    PluginChoices(EngineConfig config, List<PloyerPlugin> plugins, boolean discover, ClassLoader loader) {
        this.config = config;
        this.registry = PluginRegistry.of(plugins, discover, loader,
                io.ployer.engine.plugin.PluginFolder.scan(config.pluginsDirectory(), PloyerEngine.class.getClassLoader()));
        this.storage = registry.select(PluginRole.STORAGE, config.storage());
        this.runtime = config.runtime().isPresent()
                ? Optional.of(registry.<ContainerRuntimeFactory>select(PluginRole.RUNTIME, config.runtime().get()))
                : registry.find(PluginRole.RUNTIME, "docker");
        this.proxy = config.proxy().map(name -> registry.<ReverseProxyFactory>select(PluginRole.PROXY, name));
        this.builds = registry.all(PluginRole.BUILD);
        this.gits = registry.all(PluginRole.GIT);
        this.notifiers = registry.all(PluginRole.NOTIFIER);
        checkPluginConfig();
    }

    /** Whether the engine uses this candidate (administration lists every discovered one). */
    boolean isActive(Candidate<?> choice) {
        return choice == storage || runtime.orElse(null) == choice || proxy.orElse(null) == choice
                || builds.containsValue(choice) || gits.containsValue(choice) || notifiers.containsValue(choice);
    }

    /**
     * Plugin settings are checked when the engine is built, not first when a plugin is created at
     * start: a key the chosen plugin does not declare, or {@code proxy.*} settings with no proxy
     * chosen (they would be ignored), are CONFIGURATION errors naming the key.
     */
    private void checkPluginConfig() {
        List<String> problems = new java.util.ArrayList<>();
        unknownKeys(PluginRole.STORAGE, Optional.of(storage), problems);
        unknownKeys(PluginRole.RUNTIME, runtime, problems);
        if (proxy.isEmpty() && !config.pluginConfig(PluginRole.PROXY.key()).isEmpty()) {
            problems.add(config.pluginConfig(PluginRole.PROXY.key()).keySet().stream().map(key -> "proxy." + key)
                    .collect(java.util.stream.Collectors.joining(", "))
                    + ": set, but no reverse proxy is chosen; choose one with proxy=caddy (PLOYER_PROXY=caddy) or remove them");
        }
        unknownKeys(PluginRole.PROXY, proxy, problems);
        if (!problems.isEmpty()) {
            throw new PloyerException(StandardErrorCode.CONFIGURATION, "invalid configuration: " + String.join("; ", problems));
        }
    }

    private <F extends PluginFactory<?>> void unknownKeys(PluginRole role, Optional<Candidate<F>> choice, List<String> problems) {
        if (choice.isEmpty() || choice.get().factory().configKeys().isEmpty()) {
            return; // a factory that declares no keys checks its own
        }
        java.util.Set<String> known = choice.get().factory().configKeys();
        for (String key : config.pluginConfig(role.key()).keySet()) {
            if (!known.contains(key)) {
                problems.add(role.key() + "." + key + ": not a setting of the " + role.key() + " plugin '"
                        + choice.get().factory().name() + "' (its settings: " + new java.util.TreeSet<>(known) + ")");
            }
        }
    }

    /** The names of the chosen storage, runtime and proxy, by role. */
    Map<String, String> chosenNames() {
        Map<String, String> names = new LinkedHashMap<>();
        names.put("storage", storage.factory().name());
        runtime.ifPresent(choice -> names.put("runtime", choice.factory().name()));
        proxy.ifPresent(choice -> names.put("proxy", choice.factory().name()));
        return names;
    }
}
