package io.ployer.plugin.sqlite.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.spi.storage.ApiKeyStore;
import io.ployer.spi.storage.ApplicationStore;
import io.ployer.spi.storage.ContainerStatsStore;
import io.ployer.spi.storage.DeployKeyStore;
import io.ployer.spi.storage.DeploymentStore;
import io.ployer.spi.storage.DomainStore;
import io.ployer.spi.storage.EnvVarStore;
import io.ployer.spi.storage.GitCredentialStore;
import io.ployer.spi.storage.HealthCheckResultStore;
import io.ployer.spi.storage.HealthCheckStore;
import io.ployer.spi.storage.ServerStore;
import io.ployer.spi.storage.SessionStore;
import io.ployer.spi.storage.SettingStore;
import io.ployer.spi.storage.Storage;
import io.ployer.spi.storage.UserStore;
import io.ployer.spi.storage.WebhookDeliveryStore;
import io.ployer.spi.storage.WebhookStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import java.util.function.Function;
import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteConfig;

/**
 * {@link Storage} on one SQLite file: WAL journal, {@code synchronous=FULL}, foreign keys on, a busy
 * timeout; a pool of readers (HikariCP) and a single writer whose transactions begin IMMEDIATE;
 * Flyway migrations from {@code db/migration/sqlite} applied at {@link #start()}.
 */
public final class SqliteStorage implements Storage {
    private final Path file;
    private final int readers;
    private final Duration busyTimeout;
    private final boolean validateMigrations;
    private HikariDataSource readerPool;
    private Connection writer;
    private Database database;
    private Stores stores;
    private boolean closed;

    /** Every store, bound to one database. */
    private record Stores(ApplicationTables.Applications applications, ApplicationTables.EnvVars envVars,
                          ApplicationTables.Domains domains, ApplicationTables.DeployKeys deployKeys,
                          DeploymentTable deployments, HealthTables.Checks healthChecks, HealthTables.Results results,
                          HealthTables.Stats stats, WebhookTables.Webhooks webhooks, WebhookTables.Deliveries deliveries,
                          AccountTables.Servers servers, AccountTables.Users users, AccountTables.ApiKeys apiKeys,
                          AccountTables.Sessions sessions, AccountTables.Settings settings, GitCredentialTable gitCredentials,
                          TotpTables totp, VolumeTable volumes, NotificationTables notifications, ProjectTables projects, AuditTable audit, DatabaseTables databases,
                          RegistryTable registries, ConfigFileTable configFiles, PreviewTables previews) {
        static Stores of(Database database) {
            return new Stores(new ApplicationTables.Applications(database), new ApplicationTables.EnvVars(database),
                    new ApplicationTables.Domains(database), new ApplicationTables.DeployKeys(database),
                    new DeploymentTable(database), new HealthTables.Checks(database), new HealthTables.Results(database),
                    new HealthTables.Stats(database), new WebhookTables.Webhooks(database),
                    new WebhookTables.Deliveries(database), new AccountTables.Servers(database),
                    new AccountTables.Users(database), new AccountTables.ApiKeys(database),
                    new AccountTables.Sessions(database), new AccountTables.Settings(database), new GitCredentialTable(database),
                    new TotpTables(database), new VolumeTable(database), new NotificationTables(database), new ProjectTables(database), new AuditTable(database), new DatabaseTables(database),
                    new RegistryTable(database), new ConfigFileTable(database), new PreviewTables(database));
        }
    }

    /** @param validateMigrations run Flyway (migrate, validating applied checksums) even when the schema is current */
    public SqliteStorage(Path file, int readers, Duration busyTimeout, boolean validateMigrations) {
        this.file = file;
        this.readers = readers;
        this.busyTimeout = busyTimeout;
        this.validateMigrations = validateMigrations;
    }

    private SQLiteConfig connectionConfig() {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.enforceForeignKeys(true);
        config.setBusyTimeout((int) Math.min(Integer.MAX_VALUE, busyTimeout.toMillis()));
        return config;
    }

    private String url() {
        return "jdbc:sqlite:" + file.toAbsolutePath();
    }

    @Override
    public synchronized void start() {
        if (database != null) {
            return;
        }
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            ownerOnly(file);
            // Migrate first, before this storage holds any connection of its own. Flyway (and the
            // ~900 classes it loads) runs only when the schema is not exactly the bundled one.
            if (validateMigrations || !schemaIsCurrent()) {
                copyBeforeUpgrade();
                migrate();
            }
            writer = connectionConfig().createConnection(url());
            HikariConfig pool = new HikariConfig();
            pool.setJdbcUrl(url());
            pool.setPoolName("ployer-sqlite-readers");
            pool.setMaximumPoolSize(readers);
            pool.setMinimumIdle(1);
            pool.setReadOnly(false);
            Properties properties = connectionConfig().toProperties();
            properties.forEach((key, value) -> pool.addDataSourceProperty(String.valueOf(key), value));
            readerPool = new HikariDataSource(pool);
            database = new Database(readerPool, writer);
            stores = Stores.of(database);
        } catch (IOException | SQLException e) {
            close();
            throw new PloyerException(StandardErrorCode.STORAGE_FAILURE,
                    "cannot open the SQLite database " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            close();
            if (e instanceof PloyerException) {
                throw e;
            }
            throw new PloyerException(StandardErrorCode.STORAGE_FAILURE,
                    "cannot migrate the SQLite database " + file + ": " + e.getMessage(), e);
        }
    }

    /** The migration versions this plugin bundles under {@code db/migration/sqlite}, oldest first. */
    public static final java.util.List<String> BUNDLED_MIGRATIONS = java.util.List.of("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "12", "13", "14", "17");

    /**
     * Whether the file's Flyway history holds exactly the bundled versions, all successful. A new
     * file, a pending migration, a failed one or a version this build does not know all answer
     * false, and Flyway then migrates or reports the mismatch as before.
     */
    private boolean schemaIsCurrent() throws SQLException {
        History history = history();
        return history != null && history.allSucceeded() && history.applied().equals(BUNDLED_MIGRATIONS);
    }

    /** The versions in the file's Flyway history, oldest first; null for a new file or one without a history. */
    private record History(java.util.List<String> applied, boolean allSucceeded) {
    }

    private History history() throws SQLException {
        if (!Files.exists(file)) {
            return null;
        }
        try (Connection connection = connectionConfig().createConnection(url());
             java.sql.Statement statement = connection.createStatement()) {
            try (java.sql.ResultSet table = statement.executeQuery(
                    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'flyway_schema_history'")) {
                if (!table.next()) {
                    return null;
                }
            }
            java.util.List<String> applied = new java.util.ArrayList<>();
            boolean allSucceeded = true;
            try (java.sql.ResultSet rows = statement.executeQuery(
                    "SELECT version, success FROM flyway_schema_history WHERE version IS NOT NULL ORDER BY installed_rank")) {
                while (rows.next()) {
                    allSucceeded &= rows.getBoolean("success");
                    applied.add(rows.getString("version"));
                }
            }
            return new History(applied, allSucceeded);
        }
    }

    /** When the file is an older version's database, a copy of it as it was before the migrations change it. */
    private void copyBeforeUpgrade() throws SQLException, IOException {
        History history = history();
        java.util.List<String> pending = history == null ? java.util.List.of()
                : UpgradeCopy.pending(history.applied(), history.allSucceeded(), BUNDLED_MIGRATIONS);
        if (!pending.isEmpty()) {
            try (Connection connection = connectionConfig().createConnection(url())) {
                UpgradeCopy.write(connection, file, history.applied(), pending, java.time.Clock.systemUTC());
            }
        }
    }

    /** Applies pending migrations with Flyway (validating the applied ones). */
    private void migrate() {
        Flyway.configure(SqliteStorage.class.getClassLoader())
                .dataSource(url(), null, null)
                .locations("classpath:db/migration/sqlite")
                .failOnMissingLocations(true)
                .load()
                .migrate();
    }

    private Stores stores() {
        Stores current = stores;
        if (current == null) {
            throw new PloyerException(StandardErrorCode.INVALID_STATE, closed ? "storage is closed" : "storage is not started");
        }
        return current;
    }

    @Override
    public ApplicationStore applications() {
        return stores().applications();
    }

    @Override
    public EnvVarStore envVars() {
        return stores().envVars();
    }

    @Override
    public DomainStore domains() {
        return stores().domains();
    }

    @Override
    public DeployKeyStore deployKeys() {
        return stores().deployKeys();
    }

    @Override
    public DeploymentStore deployments() {
        return stores().deployments();
    }

    @Override
    public HealthCheckStore healthChecks() {
        return stores().healthChecks();
    }

    @Override
    public HealthCheckResultStore healthCheckResults() {
        return stores().results();
    }

    @Override
    public ContainerStatsStore containerStats() {
        return stores().stats();
    }

    @Override
    public WebhookStore webhooks() {
        return stores().webhooks();
    }

    @Override
    public WebhookDeliveryStore webhookDeliveries() {
        return stores().deliveries();
    }

    @Override
    public ServerStore servers() {
        return stores().servers();
    }

    @Override
    public UserStore users() {
        return stores().users();
    }

    @Override
    public ApiKeyStore apiKeys() {
        return stores().apiKeys();
    }

    @Override
    public SessionStore sessions() {
        return stores().sessions();
    }

    @Override
    public SettingStore settings() {
        return stores().settings();
    }

    @Override
    public io.ployer.spi.storage.DatabaseStore databases() {
        return stores().databases();
    }

    @Override
    public io.ployer.spi.storage.VolumeStore volumes() {
        return stores().volumes();
    }

    @Override
    public io.ployer.spi.storage.NotificationStore notifications() {
        return stores().notifications();
    }

    @Override
    public io.ployer.spi.storage.ConfigFileStore configFiles() {
        return stores().configFiles();
    }

    @Override
    public io.ployer.spi.storage.RegistryStore registries() {
        return stores().registries();
    }

    @Override
    public io.ployer.spi.storage.PreviewStore previews() {
        return stores().previews();
    }

    @Override
    public GitCredentialStore gitCredentials() {
        return stores().gitCredentials();
    }

    @Override
    public io.ployer.spi.storage.TotpStore totp() {
        return stores().totp();
    }

    @Override
    public io.ployer.spi.storage.ProjectStore projects() {
        return stores().projects();
    }

    @Override
    public io.ployer.spi.storage.AuditStore audit() {
        return stores().audit();
    }

    @Override
    public <T> T inTransaction(Function<Storage, T> work) {
        stores();
        return database.transaction(ignored -> work.apply(this));
    }

    @Override
    public java.util.OptionalLong changeCount() {
        Database current = database;
        return current == null ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(current.commits());
    }

    /** The tables behind each aggregate of {@link Storage#changeCount(String)}. */
    private static final java.util.Map<String, java.util.List<String>> AGGREGATE_TABLES = java.util.Map.ofEntries(
            java.util.Map.entry("applications", java.util.List.of("applications", "application_build_config", "projects", "project_members")),
            java.util.Map.entry("env_vars", java.util.List.of("environment_variables")),
            java.util.Map.entry("domains", java.util.List.of("domains")),
            java.util.Map.entry("deploy_keys", java.util.List.of("deploy_keys")),
            java.util.Map.entry("deployments", java.util.List.of("deployments", "applications", "project_members")),
            java.util.Map.entry("deployment_logs", java.util.List.of("deployment_logs")),
            java.util.Map.entry("health_checks", java.util.List.of("health_checks")),
            java.util.Map.entry("health_check_results", java.util.List.of("health_check_results")),
            java.util.Map.entry("container_stats", java.util.List.of("container_stats")),
            java.util.Map.entry("webhooks", java.util.List.of("webhooks")),
            java.util.Map.entry("webhook_deliveries", java.util.List.of("webhook_deliveries")),
            java.util.Map.entry("servers", java.util.List.of("servers")),
            java.util.Map.entry("users", java.util.List.of("users")),
            java.util.Map.entry("api_keys", java.util.List.of("api_keys")),
            java.util.Map.entry("sessions", java.util.List.of("sessions")),
            java.util.Map.entry("settings", java.util.List.of("settings")),
            java.util.Map.entry("git_credentials", java.util.List.of("git_credentials")),
            java.util.Map.entry("previews", java.util.List.of("previews", "preview_settings", "preview_env_vars")),
            java.util.Map.entry("notifications", java.util.List.of("notification_channels", "notification_channel_config",
                    "notification_deliveries", "notification_pending")));

    @Override
    public java.util.OptionalLong changeCount(String aggregate) {
        Database current = database;
        java.util.List<String> tables = AGGREGATE_TABLES.get(aggregate);
        if (current == null || tables == null) {
            return changeCount(); // an aggregate this storage does not know: every write counts
        }
        return java.util.OptionalLong.of(current.commits(tables));
    }

    @Override
    public void backup(Path target) {
        stores();
        if (Files.exists(target)) {
            throw PloyerException.invalid("target", "must not exist: " + target);
        }
        // VACUUM INTO writes a consistent, compacted copy while readers and the writer keep working. It
        // accepts an empty file: made first, owner-only, so the copy is never readable by others.
        try {
            createOwnerOnly(target);
        } catch (IOException e) {
            throw new PloyerException(StandardErrorCode.STORAGE_FAILURE, "cannot create the backup file " + target + ": " + e.getMessage(), e);
        }
        try {
            database.executeOnReader("VACUUM INTO '" + target.toAbsolutePath().toString().replace("'", "''") + "'");
        } catch (RuntimeException e) {
            try {
                Files.deleteIfExists(target); // no half-written copy left behind
            } catch (IOException ignored) {
                // the failure above is the one to report
            }
            throw e;
        }
    }

    private static final java.util.Set<java.nio.file.attribute.PosixFilePermission> OWNER_ONLY =
            java.util.Set.copyOf(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));

    /**
     * Makes the database owner-only before SQLite opens it: a new file is created 0600 (SQLite then
     * gives its {@code -wal} and {@code -shm} files the database file's mode), and an existing file
     * and its companions made by an older version with the umask's mode are narrowed to 0600.
     * Skipped where the file system has no POSIX permissions.
     */
    static void ownerOnly(Path file) throws IOException {
        if (!Files.exists(file)) {
            createOwnerOnly(file);
            return;
        }
        for (Path each : java.util.List.of(file, Path.of(file + "-wal"), Path.of(file + "-shm"), Path.of(file + "-journal"))) {
            if (Files.exists(each) && posix(each) && !Files.getPosixFilePermissions(each).equals(OWNER_ONLY)) {
                Files.setPosixFilePermissions(each, OWNER_ONLY);
            }
        }
    }

    private static void createOwnerOnly(Path file) throws IOException {
        if (posix(file.toAbsolutePath().getParent())) {
            Files.createFile(file, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } else {
            Files.createFile(file);
        }
    }

    private static boolean posix(Path path) {
        return path != null && path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    /** The database file. */
    public Path file() {
        return file;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stores = null;
        if (database != null) {
            database.closeStatements();
        }
        database = null;
        if (readerPool != null) {
            readerPool.close();
        }
        if (writer != null) {
            try {
                writer.close();
            } catch (SQLException e) {
                // Closing is best effort: the WAL is checkpointed by the next opener if need be.
            }
        }
    }
}
