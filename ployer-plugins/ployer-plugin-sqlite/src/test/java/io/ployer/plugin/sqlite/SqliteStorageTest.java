package io.ployer.plugin.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.plugin.sqlite.internal.SqliteStorage;
import io.ployer.spi.PloyerPlugin;
import io.ployer.spi.plugin.PluginContext;
import io.ployer.spi.storage.Storage;
import io.ployer.testkit.storage.StorageCompatibilityKit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** The SQLite storage passes the storage kit on real files, and keeps its own promises (PRAGMAs, WAL, migrations). */
class SqliteStorageTest extends StorageCompatibilityKit {

    @Override
    protected Storage createStorage(Path directory) {
        return factory().create(Map.of("path", directory.resolve("ployer.db").toString()), new PluginContext() {
        });
    }

    @Override
    protected Storage openBackup(Path backupFile) {
        return factory().create(Map.of("path", backupFile.toString()), new PluginContext() {
        });
    }

    private static io.ployer.spi.storage.StorageFactory factory() {
        return ServiceLoader.load(PloyerPlugin.class).stream().map(ServiceLoader.Provider::get)
                .filter(plugin -> plugin instanceof SqlitePlugin).findFirst().orElseThrow()
                .storageFactories().get(0);
    }

    private Path file() {
        return ((SqliteStorage) storage).file();
    }

    /**
     * SQLite counts writes per table: health results written every tick and an env var leave the
     * applications' count (and so cached application lists) alone; writing an application moves it.
     */
    @Test
    void writesToOtherAggregatesLeaveTheApplicationsCountAlone() {
        var application = insertApplication("steady");
        long applications = storage.changeCount("applications").getAsLong();
        long total = storage.changeCount().getAsLong();

        storage.healthCheckResults().insert(new io.ployer.api.health.HealthCheckResult(id(), application.id(),
                io.ployer.api.health.HealthStatus.HEALTHY, 3, 200, null, NOW));
        storage.envVars().upsert(new io.ployer.api.application.EnvVar(id(), application.id(), "K", "ENC:v1:x", false, NOW, NOW));
        storage.deployments().insert(deployment(application.id(), io.ployer.api.deployment.DeploymentStatus.QUEUED, NOW));

        assertThat(storage.changeCount().getAsLong()).isEqualTo(total + 3);
        assertThat(storage.changeCount("applications").getAsLong()).isEqualTo(applications);
        storage.applications().update(application.withStatus(io.ployer.api.application.ApplicationStatus.RUNNING, NOW.plusSeconds(1)));
        assertThat(storage.changeCount("applications").getAsLong()).isGreaterThan(applications);
        // An aggregate this storage does not know counts every write.
        assertThat(storage.changeCount("no_such_aggregate")).isEqualTo(storage.changeCount());
    }

    @Test
    void isFoundByServiceLoaderUnderItsName() {
        assertThat(factory().name()).isEqualTo("sqlite");
        assertThat(factory().configKeys()).contains("path", "pool-size", "busy-timeout");
    }

    @Test
    void rejectsUnknownAndMalformedConfigurationAtOnce() {
        assertThatThrownBy(() -> factory().create(Map.of("colour", "blue", "pool-size", "many"), new PluginContext() {
        })).isInstanceOfSatisfying(PloyerException.class, error -> {
            assertThat(error.code()).isEqualTo(StandardErrorCode.CONFIGURATION);
            assertThat(error.getMessage()).contains("colour").contains("pool-size");
        });
    }

    @Test
    void createsTheDatabaseItsJournalFilesAndBackupsOwnerOnly() throws Exception {
        storage.settings().put("touch", "1");
        Path backup = directory.resolve("copy.db");
        storage.backup(backup);
        for (Path file : java.util.List.of(file(), Path.of(file() + "-wal"), Path.of(file() + "-shm"), backup)) {
            assertThat(file).exists();
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                    .as(file.getFileName().toString()).isEqualTo("rw-------");
        }
    }

    @Test
    void narrowsADatabaseLeftReadableByAnOlderVersion() throws Exception {
        storage.settings().put("touch", "1");
        storage.close();
        var readable = java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--");
        Files.setPosixFilePermissions(file(), readable);
        Path wal = Path.of(file() + "-wal");
        if (Files.exists(wal)) {
            Files.setPosixFilePermissions(wal, readable);
        }
        Storage reopened = createStorage(file().getParent());
        try {
            reopened.start();
            reopened.settings().put("touch", "2");
            for (Path file : java.util.List.of(file(), wal, Path.of(file() + "-shm"))) {
                assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                        .as(file.getFileName().toString()).isEqualTo("rw-------");
            }
        } finally {
            reopened.close();
        }
    }

    @Test
    void usesWriteAheadLoggingAndEnforcesForeignKeys() throws Exception {
        storage.settings().put("touch", "1");
        assertThat(Files.exists(Path.of(file() + "-wal"))).isTrue();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file());
             ResultSet journal = connection.createStatement().executeQuery("PRAGMA journal_mode")) {
            journal.next();
            assertThat(journal.getString(1)).isEqualToIgnoringCase("wal");
        }
        assertThatThrownBy(() -> storage.envVars().upsert(new io.ployer.api.application.EnvVar(id(), "no-such-app", "K", "v",
                false, NOW, NOW))).isInstanceOfSatisfying(PloyerException.class,
                error -> assertThat(error.code()).isEqualTo(StandardErrorCode.NOT_FOUND));
    }

    @Test
    void appliesMigrationsOnceAndReopensCleanly() {
        insertApplication("persisted");
        storage.close();
        Storage reopened = createStorage(directory.resolve("db"));
        reopened.start();
        try {
            assertThat(reopened.applications().findByName("persisted")).isPresent();
        } finally {
            reopened.close();
        }
        storage = createStorage(directory.resolve("db"));
        storage.start();
    }

    @Test
    void theBundledMigrationListNamesEveryMigrationFile() throws Exception {
        // SqliteStorage skips Flyway when the history holds exactly BUNDLED_MIGRATIONS: a migration
        // file added without updating that list would never be applied to existing databases.
        Path migrations = Path.of(SqliteStorage.class.getClassLoader().getResource("db/migration/sqlite").toURI());
        try (var files = Files.list(migrations)) {
            assertThat(files.map(file -> file.getFileName().toString()).filter(name -> name.endsWith(".sql"))
                    .map(name -> name.substring(1, name.indexOf("__"))).sorted(java.util.Comparator.comparingInt(Integer::parseInt)))
                    .containsExactlyElementsOf(SqliteStorage.BUNDLED_MIGRATIONS);
        }
    }

    @Test
    void aPendingMigrationOnAnExistingDatabaseIsApplied() throws Exception {
        insertApplication("kept");
        java.time.Instant early = java.time.Instant.parse("2026-01-01T00:00:00Z");
        storage.users().insert(new io.ployer.api.account.User("later-admin", "later@example.com", "h",
                io.ployer.api.account.Role.ADMIN, early.plusSeconds(60)));
        storage.users().insert(new io.ployer.api.account.User("first-admin", "first@example.com", "h",
                io.ployer.api.account.Role.ADMIN, early));
        storage.close();
        // Roll the file back to "V1 only": the next start must see V2 to V17 pending and apply them, keeping the data.
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + directory.resolve("db/ployer.db"))) {
            connection.createStatement().executeUpdate("ALTER TABLE domains DROP COLUMN service");
            connection.createStatement().executeUpdate("ALTER TABLE domains DROP COLUMN port");
            for (String table : java.util.List.of("previews", "preview_env_vars", "preview_settings", "notification_pending")) {
                connection.createStatement().executeUpdate("DROP TABLE " + table);
            }
            connection.createStatement().executeUpdate("DROP TABLE application_environments");
            connection.createStatement().executeUpdate("DROP TABLE environments");
            connection.createStatement().executeUpdate("DELETE FROM settings WHERE key = 'instance.owner'");
            connection.createStatement().executeUpdate("DROP TABLE notification_deliveries");
            connection.createStatement().executeUpdate("DROP TABLE notification_channel_config");
            connection.createStatement().executeUpdate("DROP TABLE notification_channels");
            connection.createStatement().executeUpdate("DROP TABLE audit_log");
            connection.createStatement().executeUpdate("DROP TABLE project_invitations");
            connection.createStatement().executeUpdate("DROP TABLE project_members");
            connection.createStatement().executeUpdate("DROP TABLE projects");
            connection.createStatement().executeUpdate("DROP INDEX applications_project");
            connection.createStatement().executeUpdate("ALTER TABLE applications DROP COLUMN project_id");
            connection.createStatement().executeUpdate("ALTER TABLE api_keys DROP COLUMN project_id");
            connection.createStatement().executeUpdate("DROP TABLE platform_backups");
            for (String table : java.util.List.of("database_links", "database_backups", "backup_destinations", "databases")) {
                connection.createStatement().executeUpdate("DROP TABLE " + table);
            }
            connection.createStatement().executeUpdate("DROP TABLE application_files");
            connection.createStatement().executeUpdate("DROP TABLE application_push_targets");
            connection.createStatement().executeUpdate("DROP TABLE registries");
            connection.createStatement().executeUpdate("ALTER TABLE deployments DROP COLUMN image_digest");
            connection.createStatement().executeUpdate("DROP TABLE application_volumes");
            connection.createStatement().executeUpdate("ALTER TABLE applications DROP COLUMN memory_reservation_bytes");
            connection.createStatement().executeUpdate("ALTER TABLE applications DROP COLUMN pids_limit");
            connection.createStatement().executeUpdate("DROP TABLE recovery_codes");
            connection.createStatement().executeUpdate("DROP TABLE user_totp");
            connection.createStatement().executeUpdate("DROP INDEX sessions_user");
            connection.createStatement().executeUpdate("ALTER TABLE sessions DROP COLUMN client_address");
            connection.createStatement().executeUpdate("ALTER TABLE sessions DROP COLUMN last_used_at");
            connection.createStatement().executeUpdate("DROP TABLE git_credentials");
            connection.createStatement().executeUpdate("ALTER TABLE webhook_deliveries DROP COLUMN repository");
            connection.createStatement().executeUpdate("DELETE FROM flyway_schema_history WHERE version IN ('2', '3', '4', '5', '6', '7', '8', '9', '10', '12', '13', '14', '17')");
        }
        storage = createStorage(directory.resolve("db"));
        storage.start();
        assertThat(storage.applications().findByName("kept")).isPresent();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + directory.resolve("db/ployer.db"));
             ResultSet versions = connection.createStatement().executeQuery(
                     "SELECT group_concat(version) FROM (SELECT version FROM flyway_schema_history"
                             + " WHERE version IS NOT NULL ORDER BY installed_rank)");
             ResultSet table = connection.createStatement().executeQuery(
                     "SELECT count(*) FROM sqlite_master WHERE name = 'application_volumes'")) {
            versions.next();
            table.next();
            assertThat(versions.getString(1)).isEqualTo(String.join(",", SqliteStorage.BUNDLED_MIGRATIONS));
            assertThat(table.getInt(1)).isEqualTo(1);
        }
        // V12 on a database made before it: the earliest admin owns the instance, every project has
        // production and every application is placed there.
        assertThat(storage.settings().get("instance.owner")).contains("first-admin");
        assertThat(storage.projects().environments("default")).extracting(io.ployer.api.access.Environment::name)
                .containsExactly("production");
        String kept = storage.applications().findByName("kept").orElseThrow().id();
        assertThat(storage.projects().placement(kept)).contains(new io.ployer.api.access.Environment.Placement(kept, "production", null));
    }

    @Test
    void storesTheDatabaseInTheDataDirectoryByDefault() {
        Storage defaulted = factory().create(Map.of(), new PluginContext() {
            @Override
            public Path dataDirectory() {
                return directory.resolve("data");
            }
        });
        defaulted.start();
        try {
            assertThat(directory.resolve("data/ployer.db")).exists();
        } finally {
            defaulted.close();
        }
    }
}
