package io.ployer.engine.plugin;

import io.ployer.api.Administration.PluginProblem;
import io.ployer.spi.PloyerPlugin;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Third-party plugins dropped into a folder ({@code plugins.dir}, by default {@code plugins/} in the
 * data directory): each {@code *.jar} file, and each sub-folder holding jars (a plugin with its own
 * dependencies), gets a class loader of its own that sees only Ployer's API and SPI, SLF4J's API
 * (so its log lines reach the host's log) and the JDK. A plugin's Jackson or HTTP client never
 * meets the server's. A jar that cannot be read or whose plugin fails to load is reported as a
 * {@link PluginProblem}, never stops the engine. Sub-folders without jars (the engine's own
 * per-plugin work directories live here too) are not plugins.
 */
public final class PluginFolder {
    private static final Logger LOG = LoggerFactory.getLogger(PluginFolder.class);
    /** The packages a plugin sees from its host. */
    private static final List<String> SHARED_PACKAGES = List.of("io.ployer.api.", "io.ployer.spi.", "org.slf4j.");

    private final List<PloyerPlugin> plugins;
    private final List<PluginProblem> problems;

    private PluginFolder(List<PloyerPlugin> plugins, List<PluginProblem> problems) {
        this.plugins = List.copyOf(plugins);
        this.problems = List.copyOf(problems);
    }

    /** No folder: nothing found, nothing wrong. */
    public static PluginFolder none() {
        return new PluginFolder(List.of(), List.of());
    }

    /** Loads every plugin in {@code directory} (absent: none), sharing the API from {@code host}. */
    public static PluginFolder scan(Path directory, ClassLoader host) {
        if (!Files.isDirectory(directory)) {
            return none();
        }
        List<PloyerPlugin> found = new ArrayList<>();
        List<PluginProblem> problems = new ArrayList<>();
        List<Path> entries;
        try (Stream<Path> listing = Files.list(directory)) {
            entries = listing.sorted().toList();
        } catch (IOException e) {
            return new PluginFolder(List.of(), List.of(new PluginProblem(directory.toString(), "the plugins folder cannot be read: "
                    + e.getMessage())));
        }
        for (Path entry : entries) {
            List<Path> jars = jarsOf(entry);
            if (jars.isEmpty()) {
                continue;
            }
            try {
                List<PloyerPlugin> loaded = load(jars, host);
                if (loaded.isEmpty()) {
                    problems.add(new PluginProblem(entry.toString(), "it holds no plugin: a plugin jar lists its class in "
                            + "META-INF/services/io.ployer.spi.PloyerPlugin"));
                }
                found.addAll(loaded);
                LOG.info("plugins folder: {} loaded ({} plugin{})", entry.getFileName(), loaded.size(), loaded.size() == 1 ? "" : "s");
            } catch (IOException | ServiceConfigurationError | LinkageError | RuntimeException e) {
                LOG.warn("plugins folder: {} not loaded: {}", entry.getFileName(), e.toString());
                problems.add(new PluginProblem(entry.toString(), "it could not be loaded: " + message(e)));
            }
        }
        return new PluginFolder(found, problems);
    }

    private static List<Path> jarsOf(Path entry) {
        if (Files.isRegularFile(entry) && entry.getFileName().toString().endsWith(".jar")) {
            return List.of(entry);
        }
        if (!Files.isDirectory(entry)) {
            return List.of();
        }
        try (Stream<Path> listing = Files.list(entry)) {
            return listing.filter(path -> Files.isRegularFile(path) && path.getFileName().toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static List<PloyerPlugin> load(List<Path> jars, ClassLoader host) throws IOException {
        List<URL> urls = new ArrayList<>();
        for (Path jar : jars) {
            try (java.util.jar.JarFile readable = new java.util.jar.JarFile(jar.toFile())) {
                readable.size(); // a file that is not a jar fails here, with a reason
            }
            urls.add(toUrl(jar));
        }
        URLClassLoader loader = new URLClassLoader("ployer-plugin:" + jars.get(0).getFileName(), urls.toArray(URL[]::new),
                new ApiOnly(host));
        List<PloyerPlugin> plugins = new ArrayList<>();
        Iterator<PloyerPlugin> iterator = ServiceLoader.load(PloyerPlugin.class, loader).iterator();
        while (iterator.hasNext()) {
            PloyerPlugin plugin = iterator.next();
            // Ask for every factory once here: a plugin that fails on it is this jar's problem, not the engine's.
            plugin.storageFactories();
            plugin.containerRuntimeFactories();
            plugin.buildStrategyFactories();
            plugin.reverseProxyFactories();
            plugin.gitProviderFactories();
            plugin.notifierFactories();
            plugins.add(plugin);
        }
        return plugins;
    }

    private static URL toUrl(Path jar) {
        try {
            return jar.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException(jar + " has no URL", e);
        }
    }

    private static String message(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = root.getMessage();
        return text == null || text.isBlank() ? root.getClass().getSimpleName() : text;
    }

    /** The plugins found. */
    public List<PloyerPlugin> plugins() {
        return plugins;
    }

    /** The entries that could not be loaded, each with its reason. */
    public List<PluginProblem> problems() {
        return problems;
    }

    /** Whether {@code type} was loaded from this kind of folder. */
    static boolean isFolderClass(Class<?> type) {
        return type.getClassLoader() instanceof URLClassLoader loader && loader.getName() != null
                && loader.getName().startsWith("ployer-plugin:");
    }

    /** The JDK, plus the shared packages from the host; nothing else of the host, not even its resources. */
    private static final class ApiOnly extends ClassLoader {
        private final ClassLoader host;

        ApiOnly(ClassLoader host) {
            super("ployer-api-only", ClassLoader.getPlatformClassLoader());
            this.host = host;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            for (String shared : SHARED_PACKAGES) {
                if (name.startsWith(shared)) {
                    return host.loadClass(name);
                }
            }
            return super.loadClass(name, resolve);
        }
    }
}
