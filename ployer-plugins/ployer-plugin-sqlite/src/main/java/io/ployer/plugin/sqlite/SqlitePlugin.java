package io.ployer.plugin.sqlite;

import io.ployer.plugin.sqlite.internal.SqliteStorage;
import io.ployer.spi.PloyerPlugin;
import io.ployer.spi.plugin.PluginConfig;
import io.ployer.spi.plugin.PluginContext;
import io.ployer.spi.storage.Storage;
import io.ployer.spi.storage.StorageFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The embedded default storage: one SQLite file ({@code ployer.db} in the data directory unless
 * {@code path} says otherwise). Configuration: {@code path}, {@code pool-size} (readers, default 4),
 * {@code busy-timeout} (default 5s), {@code validate-migrations} (default false: Flyway runs only
 * when the schema is not the bundled one; true runs it at every start, validating the checksums of
 * applied migrations — {@code ployer migrate} sets it).
 */
public final class SqlitePlugin implements PloyerPlugin {

    @Override
    public List<StorageFactory> storageFactories() {
        return List.of(new SqliteStorageFactory());
    }

    /** Makes {@link SqliteStorage}s. */
    public static final class SqliteStorageFactory implements StorageFactory {
        static final Set<String> KEYS = Set.of("path", "pool-size", "busy-timeout", "validate-migrations");

        @Override
        public String name() {
            return "sqlite";
        }

        @Override
        public Set<String> configKeys() {
            return KEYS;
        }

        @Override
        public Storage create(Map<String, String> config, PluginContext context) {
            PluginConfig reader = new PluginConfig("storage sqlite", config, KEYS);
            String path = reader.string("path", null);
            int readers = reader.integer("pool-size", 4, 1, 64);
            Duration busyTimeout = reader.duration("busy-timeout", Duration.ofSeconds(5));
            boolean validateMigrations = reader.bool("validate-migrations", false);
            reader.validate();
            Path file = path != null ? Path.of(path) : context.dataDirectory().resolve("ployer.db");
            return new SqliteStorage(file, readers, busyTimeout, validateMigrations);
        }
    }
}
