package io.ployer.spi.plugin;

import io.ployer.api.event.PloyerEvent;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;

/**
 * What the engine offers a plugin. Every service is a default method that throws
 * {@link UnsupportedOperationException}, so a test can pass an empty anonymous context and the
 * engine can add services later without breaking any plugin.
 */
public interface PluginContext {

    /** The engine's clock; plugins use it for every timestamp and timer. */
    default Clock clock() {
        throw new UnsupportedOperationException("clock");
    }

    /** A thread factory for the plugin's own threads (named and daemon). */
    default ThreadFactory threadFactory() {
        throw new UnsupportedOperationException("threadFactory");
    }

    /** A shared executor for short background tasks; the engine shuts it down. */
    default ExecutorService executor() {
        throw new UnsupportedOperationException("executor");
    }

    /** Publishes an event to the engine's subscribers. */
    default void publish(PloyerEvent event) {
        throw new UnsupportedOperationException("publish");
    }

    /** Masks every secret value the engine knows of in {@code text}. */
    default String redact(String text) {
        throw new UnsupportedOperationException("redact");
    }

    /** A directory of the plugin's own inside the engine's data directory, created on demand. */
    default Path dataDirectory() {
        throw new UnsupportedOperationException("dataDirectory");
    }

    /** A shared HTTP client. */
    default HttpClient httpClient() {
        throw new UnsupportedOperationException("httpClient");
    }
}
