package io.ployer.spi.notify;

import io.ployer.spi.plugin.PluginFactory;

/**
 * Makes a {@link Notifier} from a channel's configuration. Every discovered notifier is available
 * by name as a channel type; the configuration keys listed as secret are stored encrypted and never
 * shown. {@link #create} validates the configuration (all problems at once) and does no I/O.
 */
public interface NotifierFactory extends PluginFactory<Notifier> {
}
