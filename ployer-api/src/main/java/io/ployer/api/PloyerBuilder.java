package io.ployer.api;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ThreadFactory;

/**
 * Assembles an immutable {@link Ployer}. Obtain one with {@link Ployer#builder()}.
 *
 * <p>Configuration keys (all optional):
 * <ul>
 *   <li>{@code storage}, {@code runtime}, {@code proxy}: the name of the plugin factory to activate
 *       for that role (defaults: {@code sqlite}; the only discovered runtime; no proxy). Discovery is
 *       not activation: a discovered plugin runs only when chosen here or when it is the only
 *       candidate of a required role.</li>
 *   <li>{@code storage.*}, {@code runtime.*}, {@code proxy.*}, {@code git.*}, {@code build.*}:
 *       configuration handed to the chosen plugin with the prefix removed.</li>
 *   <li>{@code secret}: encryption keys, {@code id:base64} entries separated by commas (the first
 *       encrypts, all decrypt), or one bare base64 key; when absent a key file in the data
 *       directory is used, created with mode 0600 on first start.</li>
 *   <li>{@code git.allow-file-urls}: {@code true} to accept {@code file://} repositories.</li>
 *   <li>{@code git.allow-insecure-urls}: {@code true} to accept {@code http://} and {@code git://} repositories.</li>
 *   <li>{@code git.allow-private-hosts}: {@code false} to refuse repository and server hosts resolving to
 *       loopback or private addresses (default {@code true}; link-local and metadata addresses are refused always).</li>
 *   <li>{@code domains.base}: base domain for automatic subdomains ({@code <app>.<base>}).</li>
 *   <li>{@code domains.allow-wildcards}: {@code true} to accept {@code *.example.com} domains.</li>
 *   <li>{@code deploy.*}: pipeline limits and timeouts (README's configuration table; docs/embedding.md is the embedding guide).</li>
 * </ul>
 */
public interface PloyerBuilder {

    /** Where Ployer keeps its database, key file and workspaces. Default {@code ./data}. */
    PloyerBuilder dataDirectory(Path directory);

    /** Sets one configuration entry. */
    PloyerBuilder config(String key, String value);

    /** Sets several configuration entries. */
    PloyerBuilder config(Map<String, String> entries);

    /**
     * Reads {@code PLOYER_*} variables from the given environment into configuration:
     * {@code PLOYER_SECRET → secret}, {@code PLOYER_DATA_DIR → data directory},
     * {@code PLOYER_PROXY_ADMIN_ADDRESS → proxy.admin-address} (underscores become dashes,
     * the first one after the role a dot). Explicit {@link #config} calls made later win.
     */
    PloyerBuilder environment(Map<String, String> environment);

    /**
     * Adds a plugin explicitly, in addition to (or instead of) those found by {@code ServiceLoader}:
     * an {@code io.ployer.spi.PloyerPlugin}. Fails with INVALID_ARGUMENT for any other {@link Plugin}.
     */
    PloyerBuilder plugin(Plugin plugin);

    /** Whether to discover plugins with {@code ServiceLoader} (default true). */
    PloyerBuilder discoverPlugins(boolean discover);

    /** The class loader plugins are discovered with (default: the thread's context class loader). */
    PloyerBuilder classLoader(ClassLoader loader);

    /** The clock used for every timestamp and timer (default: system UTC). */
    PloyerBuilder clock(Clock clock);

    /** The thread factory for Ployer's worker threads (default: daemon threads named {@code ployer-*}). */
    PloyerBuilder threadFactory(ThreadFactory factory);

    /**
     * Builds the engine. Nothing runs yet: no file is opened and no plugin created until
     * {@link Ployer#start()}. Fails with a CONFIGURATION error when a chosen plugin is missing or
     * a choice is ambiguous, listing every candidate.
     */
    Ployer build();
}
