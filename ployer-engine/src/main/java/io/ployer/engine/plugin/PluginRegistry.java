package io.ployer.engine.plugin;

import io.ployer.api.Administration.PluginDescription;
import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.spi.PloyerPlugin;
import io.ployer.spi.plugin.PluginFactory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The plugin factories one engine instance knows of, by role. Filled from {@code ServiceLoader}
 * and explicit registrations; holding a factory here activates nothing — {@link #select} does,
 * on the engine's configuration.
 */
public final class PluginRegistry {

    /** A factory and the plugin that provided it. */
    public record Candidate<F extends PluginFactory<?>>(F factory, String source) {
        String describe() {
            return factory.name() + " (" + source + ")";
        }
    }

    private final Map<PluginRole, List<Candidate<?>>> candidates = new LinkedHashMap<>();

    private PluginRegistry() {
        for (PluginRole role : PluginRole.values()) {
            candidates.put(role, new ArrayList<>());
        }
    }

    private List<io.ployer.api.Administration.PluginProblem> problems = List.of();

    /** A registry of the given plugins, plus those {@code ServiceLoader} finds when {@code discover}. */
    public static PluginRegistry of(List<PloyerPlugin> explicit, boolean discover, ClassLoader loader) {
        return of(explicit, discover, loader, PluginFolder.none());
    }

    /** As {@link #of(List, boolean, ClassLoader)}, plus the plugins of a plugins folder. */
    public static PluginRegistry of(List<PloyerPlugin> explicit, boolean discover, ClassLoader loader, PluginFolder folder) {
        PluginRegistry registry = new PluginRegistry();
        registry.problems = folder.problems();
        List<PloyerPlugin> plugins = new ArrayList<>(explicit);
        plugins.addAll(folder.plugins());
        if (discover) {
            ServiceLoader.load(PloyerPlugin.class, loader).forEach(plugin -> {
                boolean alreadyGiven = plugins.stream().anyMatch(given -> given.getClass().equals(plugin.getClass()));
                if (!alreadyGiven) {
                    plugins.add(plugin);
                }
            });
        }
        for (PloyerPlugin plugin : plugins) {
            registry.add(plugin);
        }
        return registry;
    }

    private void add(PloyerPlugin plugin) {
        String source = plugin.getClass().getName();
        addAll(PluginRole.STORAGE, plugin.storageFactories(), source);
        addAll(PluginRole.RUNTIME, plugin.containerRuntimeFactories(), source);
        addAll(PluginRole.BUILD, plugin.buildStrategyFactories(), source);
        addAll(PluginRole.PROXY, plugin.reverseProxyFactories(), source);
        addAll(PluginRole.GIT, plugin.gitProviderFactories(), source);
        addAll(PluginRole.NOTIFIER, plugin.notifierFactories(), source);
    }

    private void addAll(PluginRole role, List<? extends PluginFactory<?>> factories, String source) {
        for (PluginFactory<?> factory : factories) {
            if (factory.name() == null || !PluginFactory.NAME.matcher(factory.name()).matches()) {
                throw new PloyerException(StandardErrorCode.CONFIGURATION, "plugin " + source + " offers a "
                        + role.key() + " factory with an invalid name '" + factory.name() + "' (must match "
                        + PluginFactory.NAME.pattern() + ")");
            }
            candidates.get(role).add(new Candidate<>(factory, source));
        }
    }

    /**
     * The factory of {@code role} named {@code name}. Fails with one CONFIGURATION error listing
     * every candidate when none or several match.
     */
    @SuppressWarnings("unchecked")
    public <F extends PluginFactory<?>> Candidate<F> select(PluginRole role, String name) {
        List<Candidate<?>> all = candidates.get(role);
        List<Candidate<?>> matching = all.stream().filter(candidate -> candidate.factory().name().equals(name)).toList();
        if (matching.size() == 1) {
            return (Candidate<F>) matching.get(0);
        }
        String listed = all.isEmpty() ? "none on the class path"
                : all.stream().map(Candidate::describe).collect(Collectors.joining(", "));
        if (matching.isEmpty()) {
            throw new PloyerException(StandardErrorCode.CONFIGURATION, "no " + role.key() + " plugin named '" + name
                    + "'; candidates: " + listed);
        }
        throw new PloyerException(StandardErrorCode.CONFIGURATION, "ambiguous " + role.key() + " plugin '" + name
                + "': offered by " + matching.stream().map(Candidate::source).collect(Collectors.joining(", "))
                + "; candidates: " + listed);
    }

    /** The factory of {@code role} named {@code name}, or empty when there is none (ambiguity still fails). */
    public <F extends PluginFactory<?>> Optional<Candidate<F>> find(PluginRole role, String name) {
        boolean present = candidates.get(role).stream().anyMatch(candidate -> candidate.factory().name().equals(name));
        return present ? Optional.of(select(role, name)) : Optional.empty();
    }

    /** Every factory of a role by name; fails when two share a name. */
    @SuppressWarnings("unchecked")
    public <F extends PluginFactory<?>> Map<String, Candidate<F>> all(PluginRole role) {
        Map<String, Candidate<F>> byName = new LinkedHashMap<>();
        for (Candidate<?> candidate : candidates.get(role)) {
            byName.put(candidate.factory().name(), select(role, candidate.factory().name()));
        }
        return byName;
    }

    /** The plugins folder's entries that could not be loaded. */
    public List<io.ployer.api.Administration.PluginProblem> problems() {
        return problems;
    }

    private static String location(Class<?> type) {
        if (!PluginFolder.isFolderClass(type)) {
            return "class path";
        }
        java.security.CodeSource source = type.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            return "plugins folder";
        }
        try {
            return java.nio.file.Path.of(source.getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException | IllegalArgumentException e) {
            return source.getLocation().toString();
        }
    }

    /** Every candidate, for diagnostics; {@code active} says which ones run. */
    public List<PluginDescription> describe(Function<Candidate<?>, Boolean> active) {
        List<PluginDescription> result = new ArrayList<>();
        candidates.forEach((role, list) -> list.forEach(candidate -> {
            Class<?> type = candidate.factory().getClass();
            result.add(new PluginDescription(role.key(), candidate.factory().name(), candidate.source(), active.apply(candidate),
                    type.getPackage() == null ? null : type.getPackage().getImplementationVersion(), location(type)));
        }));
        result.sort(Comparator.comparing(PluginDescription::role).thenComparing(PluginDescription::name));
        return result;
    }
}
