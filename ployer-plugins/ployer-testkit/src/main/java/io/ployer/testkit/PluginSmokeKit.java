package io.ployer.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.spi.PloyerPlugin;
import io.ployer.spi.plugin.PluginContext;
import io.ployer.spi.plugin.PluginFactory;
import io.ployer.spi.proxy.ReverseProxy;
import io.ployer.spi.runtime.ContainerRuntime;
import io.ployer.spi.storage.Storage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every plugin passes whatever its roles: extend it with the plugin (and, for factories with
 * required keys, a valid config). For every factory of every role it checks the name rule
 * ({@link PluginFactory#NAME}, unique within the role), the config keys (lower-case words with
 * {@code -} or {@code .}; every secret key is a config key), that an unknown key fails with a CONFIGURATION
 * error naming it, that {@code create} does no I/O (no thread started, no task submitted, nothing written to
 * the plugin's data directory or the scratch directory the config may point into), and that the made object
 * can be closed twice without being started. Objects with a start ({@link Storage}) are started twice and
 * closed twice when {@link #startable} says so.
 */
public abstract class PluginSmokeKit {
    /** A config key: lower-case words joined by {@code -} or {@code .}. */
    public static final Pattern CONFIG_KEY = Pattern.compile("[a-z][a-z0-9]*([.-][a-z0-9]+)*");

    @TempDir
    protected Path scratch;
    private final List<ExecutorService> executors = new ArrayList<>();

    /** The plugin under test, as its service file makes it. */
    protected abstract PloyerPlugin plugin();

    /**
     * A config that {@code create} accepts for the given factory; paths in it may point into {@code scratch},
     * which must stay empty after {@code create}. Empty by default.
     */
    protected Map<String, String> validConfig(String role, String name, Path scratch) {
        return Map.of();
    }

    /** Whether the kit may start the object made by this factory with {@link #validConfig} (no outside service needed). */
    protected boolean startable(String role, String name) {
        return false;
    }

    /** One factory of the plugin with its role. */
    public record Entry(String role, PluginFactory<?> factory) {
    }

    /** Every factory of every role. */
    protected List<Entry> entries() {
        PloyerPlugin plugin = plugin();
        List<Entry> entries = new ArrayList<>();
        plugin.storageFactories().forEach(f -> entries.add(new Entry("storage", f)));
        plugin.containerRuntimeFactories().forEach(f -> entries.add(new Entry("runtime", f)));
        plugin.buildStrategyFactories().forEach(f -> entries.add(new Entry("build", f)));
        plugin.reverseProxyFactories().forEach(f -> entries.add(new Entry("proxy", f)));
        plugin.gitProviderFactories().forEach(f -> entries.add(new Entry("git", f)));
        plugin.notifierFactories().forEach(f -> entries.add(new Entry("notifier", f)));
        return entries;
    }

    @AfterEach
    void stopExecutors() {
        executors.forEach(ExecutorService::shutdownNow);
    }

    /** A context offering every service, recording anything that would be work. */
    private final class RecordingContext implements PluginContext {
        final AtomicInteger threads = new AtomicInteger();
        final AtomicInteger tasks = new AtomicInteger();
        final Path data;

        RecordingContext(Path data) {
            this.data = data;
        }

        @Override
        public Clock clock() {
            return Clock.systemUTC();
        }

        @Override
        public ThreadFactory threadFactory() {
            return runnable -> {
                threads.incrementAndGet();
                Thread thread = new Thread(runnable, "plugin-smoke");
                thread.setDaemon(true);
                return thread;
            };
        }

        @Override
        public ExecutorService executor() {
            ExecutorService real = Executors.newCachedThreadPool(runnable -> {
                tasks.incrementAndGet();
                Thread thread = new Thread(runnable, "plugin-smoke-executor");
                thread.setDaemon(true);
                return thread;
            });
            executors.add(real);
            return real;
        }

        @Override
        public void publish(io.ployer.api.event.PloyerEvent event) {
            tasks.incrementAndGet();
        }

        @Override
        public String redact(String text) {
            return text;
        }

        @Override
        public Path dataDirectory() {
            return data;
        }

        @Override
        public HttpClient httpClient() {
            return HttpClient.newHttpClient();
        }
    }

    @Test
    void providesAtLeastOneFactory() {
        assertThat(entries()).as("factories of %s", plugin().getClass().getName()).isNotEmpty();
    }

    @Test
    void factoryNamesFollowTheRuleAndAreUniqueWithinTheirRole() {
        Map<String, String> seen = new HashMap<>();
        for (Entry entry : entries()) {
            assertThat(entry.factory().name()).as("a %s factory's name", entry.role()).matches(PluginFactory.NAME);
            assertThat(seen.put(entry.role() + "/" + entry.factory().name(), entry.factory().name()))
                    .as("a second %s factory named %s", entry.role(), entry.factory().name()).isNull();
        }
    }

    @Test
    void configKeysAreWordsAndSecretKeysAreAmongThem() {
        for (Entry entry : entries()) {
            PluginFactory<?> factory = entry.factory();
            assertThat(factory.configKeys()).as("%s %s config keys", entry.role(), factory.name())
                    .allSatisfy(key -> assertThat(key).matches(CONFIG_KEY));
            assertThat(factory.configKeys()).as("%s %s config keys hold its secret keys", entry.role(), factory.name())
                    .containsAll(factory.secretConfigKeys());
            assertThat(validConfig(entry.role(), factory.name(), scratch).keySet()).isSubsetOf(factory.configKeys());
        }
    }

    @Test
    void anUnknownConfigKeyIsAConfigurationErrorNamingIt() {
        for (Entry entry : entries()) {
            Map<String, String> config = new HashMap<>(validConfig(entry.role(), entry.factory().name(), scratch));
            config.put("ployer-smoke-unknown", "x");
            Throwable thrown = catchThrowable(() -> closeQuietly(entry.factory().create(config, new RecordingContext(scratch.resolve("data")))));
            assertThat(thrown).as("%s %s with an unknown key", entry.role(), entry.factory().name())
                    .isInstanceOfSatisfying(PloyerException.class, e -> {
                        assertThat(e.code()).isEqualTo(StandardErrorCode.CONFIGURATION);
                        assertThat(e.getMessage()).contains("ployer-smoke-unknown");
                    });
        }
    }

    @Test
    void createDoesNoIoAndCloseBeforeStartIsIdempotent() throws Exception {
        for (Entry entry : entries()) {
            Path data = scratch.resolve("data-" + entry.role() + "-" + entry.factory().name());
            RecordingContext context = new RecordingContext(data);
            Object made = entry.factory().create(validConfig(entry.role(), entry.factory().name(), scratch), context);
            String what = entry.role() + " " + entry.factory().name();
            assertThat(made).as(what).isNotNull();
            assertThat(context.threads.get()).as("threads made by create of %s", what).isZero();
            assertThat(context.tasks.get()).as("tasks run or events published by create of %s", what).isZero();
            assertThat(Files.exists(data) && !isEmpty(data)).as("%s wrote its data directory in create", what).isFalse();
            assertThat(isEmpty(scratch, data)).as("%s wrote into the scratch directory in create", what).isTrue();
            if (made instanceof AutoCloseable closeable) {
                closeable.close();
                closeable.close();
            }
        }
    }

    @Test
    void startAndCloseAreIdempotentWhereTheKitMayStart() throws Exception {
        for (Entry entry : entries()) {
            if (!startable(entry.role(), entry.factory().name())) {
                continue;
            }
            Object made = entry.factory().create(validConfig(entry.role(), entry.factory().name(), scratch),
                    new RecordingContext(scratch.resolve("started-" + entry.factory().name())));
            if (made instanceof Storage storage) {
                storage.start();
                storage.start();
                storage.close();
                storage.close();
            } else if (made instanceof ReverseProxy proxy) {
                proxy.start();
                proxy.start();
                proxy.close();
                proxy.close();
            } else if (made instanceof ContainerRuntime runtime) {
                runtime.ping();
                runtime.ping();
                runtime.close();
                runtime.close();
            }
        }
    }

    private static void closeQuietly(Object made) throws Exception {
        if (made instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    private static boolean isEmpty(Path directory, Path... except) {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.filter(path -> !List.of(except).contains(path)).findAny().isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
