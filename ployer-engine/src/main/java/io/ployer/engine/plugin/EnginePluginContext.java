package io.ployer.engine.plugin;

import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.api.event.PloyerEvent;
import io.ployer.spi.plugin.PluginContext;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The engine's {@link PluginContext}: one per plugin, with a data directory of the plugin's own. The
 * HTTP client is shared by all plugins and asked of its supplier only when a plugin calls
 * {@link #httpClient()}, so that it can be made on first use.
 */
public final class EnginePluginContext implements PluginContext {
    private final Clock clock;
    private final ThreadFactory threadFactory;
    private final ExecutorService executor;
    private final Consumer<PloyerEvent> events;
    private final UnaryOperator<String> redactor;
    private final Path dataDirectory;
    private final Supplier<HttpClient> httpClient;

    public EnginePluginContext(Clock clock, ThreadFactory threadFactory, ExecutorService executor,
                               Consumer<PloyerEvent> events, UnaryOperator<String> redactor, Path dataDirectory,
                               Supplier<HttpClient> httpClient) {
        this.clock = clock;
        this.threadFactory = threadFactory;
        this.executor = executor;
        this.events = events;
        this.redactor = redactor;
        this.dataDirectory = dataDirectory;
        this.httpClient = httpClient;
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public ThreadFactory threadFactory() {
        return threadFactory;
    }

    @Override
    public ExecutorService executor() {
        return executor;
    }

    @Override
    public void publish(PloyerEvent event) {
        events.accept(event);
    }

    @Override
    public String redact(String text) {
        return redactor.apply(text);
    }

    @Override
    public Path dataDirectory() {
        try {
            return Files.createDirectories(dataDirectory);
        } catch (IOException e) {
            throw new PloyerException(StandardErrorCode.CONFIGURATION,
                    "cannot create plugin data directory " + dataDirectory + ": " + e.getMessage(), e);
        }
    }

    @Override
    public HttpClient httpClient() {
        return httpClient.get();
    }
}
