package io.ployer.engine;

import io.ployer.api.Ployer;
import io.ployer.api.PloyerBuilder;
import io.ployer.api.PloyerBuilderProvider;
import io.ployer.api.PloyerException;
import io.ployer.spi.PloyerPlugin;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** The engine's {@link PloyerBuilder}, found by {@link Ployer#builder()} through {@link Provider}. */
public final class EngineBuilder implements PloyerBuilder {
    private Path dataDirectory = Path.of("data");
    private final Map<String, String> config = new LinkedHashMap<>();
    private final List<PloyerPlugin> plugins = new ArrayList<>();
    private boolean discover = true;
    private ClassLoader classLoader;
    private Clock clock = Clock.systemUTC();
    private ThreadFactory threadFactory;

    /** The {@code ServiceLoader} entry that hands out engine builders. */
    public static final class Provider implements PloyerBuilderProvider {
        @Override
        public PloyerBuilder newBuilder() {
            return new EngineBuilder();
        }
    }

    @Override
    public PloyerBuilder dataDirectory(Path directory) {
        this.dataDirectory = Objects.requireNonNull(directory, "directory");
        return this;
    }

    @Override
    public PloyerBuilder config(String key, String value) {
        Objects.requireNonNull(key, "key");
        if (value == null) {
            config.remove(key);
        } else {
            config.put(key, value);
        }
        return this;
    }

    @Override
    public PloyerBuilder config(Map<String, String> entries) {
        entries.forEach(this::config);
        return this;
    }

    @Override
    public PloyerBuilder environment(Map<String, String> environment) {
        environment.forEach((name, value) -> {
            if (!name.startsWith("PLOYER_") || value == null) {
                return;
            }
            String rest = name.substring("PLOYER_".length()).toLowerCase(Locale.ROOT);
            switch (rest) {
                case "secret" -> config.putIfAbsent("secret", value);
                case "data_dir" -> dataDirectory = Path.of(value);
                case "storage", "runtime", "proxy", "reconcile" -> config.putIfAbsent(rest, value);
                default -> {
                    int underscore = rest.indexOf('_');
                    String role = underscore < 0 ? rest : rest.substring(0, underscore);
                    if (underscore > 0 && EngineConfig.ENVIRONMENT_GROUPS.contains(role)) {
                        config.putIfAbsent(role + "." + rest.substring(underscore + 1).replace('_', '-'), value);
                    }
                }
            }
        });
        return this;
    }

    /** The configuration {@link #build()} would use, validated (for tests of the environment mapping). */
    EngineConfig engineConfig() {
        return EngineConfig.from(dataDirectory.toAbsolutePath().normalize(), config);
    }

    @Override
    public PloyerBuilder plugin(io.ployer.api.Plugin plugin) {
        Objects.requireNonNull(plugin, "plugin");
        if (!(plugin instanceof PloyerPlugin ployerPlugin)) {
            throw PloyerException.invalid("plugin", "must implement the plugin SPI's PloyerPlugin interface");
        }
        plugins.add(ployerPlugin);
        return this;
    }

    @Override
    public PloyerBuilder discoverPlugins(boolean discoverPlugins) {
        this.discover = discoverPlugins;
        return this;
    }

    @Override
    public PloyerBuilder classLoader(ClassLoader loader) {
        this.classLoader = loader;
        return this;
    }

    @Override
    public PloyerBuilder clock(Clock engineClock) {
        this.clock = Objects.requireNonNull(engineClock, "clock");
        return this;
    }

    @Override
    public PloyerBuilder threadFactory(ThreadFactory factory) {
        this.threadFactory = Objects.requireNonNull(factory, "factory");
        return this;
    }

    @Override
    public Ployer build() {
        EngineConfig engineConfig = engineConfig();
        ClassLoader loader = classLoader != null ? classLoader
                : Thread.currentThread().getContextClassLoader() != null ? Thread.currentThread().getContextClassLoader()
                : EngineBuilder.class.getClassLoader();
        ThreadFactory threads = threadFactory != null ? threadFactory : daemonThreads();
        return new PloyerEngine(engineConfig, List.copyOf(plugins), discover, loader, clock, threads);
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "ployer-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
