package io.ployer.spi.plugin;

import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Makes one kind of plugin object from configuration. Subtypes fix the product type.
 *
 * @param <T> what the factory makes
 */
public interface PluginFactory<T> {

    /** The rule every factory name follows. */
    Pattern NAME = Pattern.compile("[a-z][a-z0-9-]*");

    /** The name configuration uses to choose this factory, matching {@link #NAME}. */
    String name();

    /** The configuration keys this factory accepts; any other key is an error. */
    default Set<String> configKeys() {
        return Set.of();
    }

    /** The configuration keys whose values are secret and are masked wherever config is shown. */
    default Set<String> secretConfigKeys() {
        return Set.of();
    }

    /**
     * Makes the plugin object. Must do no I/O: work starts when the engine calls the object's own
     * start method (if it has one). Invalid configuration fails with a CONFIGURATION
     * {@link io.ployer.api.PloyerException} that lists every problem at once (see {@link PluginConfig}).
     */
    T create(Map<String, String> config, PluginContext context);
}
