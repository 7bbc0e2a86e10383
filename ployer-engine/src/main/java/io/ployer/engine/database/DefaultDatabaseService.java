package io.ployer.engine.database;

import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.api.database.Backup;
import io.ployer.api.database.BackupDestination;
import io.ployer.api.database.BackupDestinationSpec;
import io.ployer.api.database.BackupPolicy;
import io.ployer.api.database.Database;
import io.ployer.api.database.DatabaseEngine;
import io.ployer.api.database.DatabaseHealth;
import io.ployer.api.database.DatabaseLink;
import io.ployer.api.database.DatabaseService;
import io.ployer.api.database.DatabaseSpec;
import io.ployer.api.database.DatabaseStatus;
import io.ployer.api.event.PloyerEvent;
import io.ployer.engine.secret.SecretCipher;
import io.ployer.engine.secret.SecretRedactor;
import io.ployer.spi.plugin.Cancellation;
import io.ployer.spi.runtime.ContainerRuntime;
import io.ployer.spi.runtime.ExecResult;
import io.ployer.spi.storage.DatabaseStore;
import io.ployer.spi.storage.DatabaseStore.StoredDatabase;
import io.ployer.spi.storage.DatabaseStore.StoredDestination;
import io.ployer.spi.storage.Storage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs databases in containers of their own and backs them up. Each database has a named volume for
 * its data, a private network (its name is the database's host name there) that only linked
 * applications join, and generated credentials kept encrypted. Its container carries Ployer's
 * database labels, not the application ones, so the deployment reconciler leaves it alone.
 */
public final class DefaultDatabaseService implements DatabaseService, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DefaultDatabaseService.class);
    /** Label holding the database id. */
    public static final String LABEL_DATABASE = "io.ployer.database";
    static final String LABEL_DATABASE_INSTANCE = "io.ployer.database-instance";
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final Storage storage;
    private final SecretCipher cipher;
    private final SecretRedactor redactor;
    private final ContainerRuntime runtime;
    private final Clock clock;
    private final Map<DatabaseEngine, EngineDefinition> engines;
    private final Map<DatabaseEngine, String> images;
    private final String instanceId;
    private final Consumer<PloyerEvent> events;
    private final ReadinessWait readiness;
    private final Path temporaryDirectory;
    private final BackupScheduler scheduler;
    private final java.util.concurrent.ThreadFactory threadFactory;
    private final PlatformBackups platform;
    private final DatabaseBackups backups;
    private final DatabaseLinks links;
    private final DatabaseProvisioning provisioning;
    private final BackupDestinationBook destinationBook;

    /**
     * @param images             image (without tag) per engine overriding the official one
     * @param temporaryDirectory where a restore keeps the decompressed dump while it copies it in
     */
    public DefaultDatabaseService(Storage storage, SecretCipher cipher, SecretRedactor redactor, ContainerRuntime runtime,
                                  Clock clock, Map<DatabaseEngine, String> images, String instanceId,
                                  Consumer<PloyerEvent> events, java.util.concurrent.ThreadFactory threadFactory,
                                  Duration readinessTimeout, Path temporaryDirectory) {
        this.storage = storage;
        this.cipher = cipher;
        this.redactor = redactor;
        this.runtime = runtime;
        this.clock = clock;
        this.engines = EngineDefinition.catalogue();
        this.images = Map.copyOf(images);
        this.instanceId = instanceId;
        this.events = events;
        this.readiness = new ReadinessWait(threadFactory, readinessTimeout);
        this.temporaryDirectory = temporaryDirectory;
        this.threadFactory = threadFactory;
        this.scheduler = new BackupScheduler(clock, threadFactory, this::scheduledBackup);
        this.links = new DatabaseLinks(this, storage, engines);
        this.provisioning = new DatabaseProvisioning(this, runtime, cipher, redactor, engines, images, instanceId);
        this.destinationBook = new BackupDestinationBook(storage, cipher, this::now);
        this.backups = new DatabaseBackups(this, runtime, engines, threadFactory, redactor, events, readiness, temporaryDirectory);
        this.platform = new PlatformBackups(storage, this, clock, temporaryDirectory.resolveSibling("platform-backup"));
    }

    /** How platform backups write Ployer's archive ({@code Administration#backupArchive}). */
    public void setArchiveWriter(java.util.function.Consumer<Path> writer) {
        platform.setArchiveWriter(writer);
    }

    @Override
    public java.util.Optional<BackupPolicy> platformBackupPolicy() {
        return platform.policy();
    }

    @Override
    public BackupPolicy setPlatformBackupPolicy(BackupPolicy policy) {
        BackupPolicy set = platform.setPolicy(policy);
        scheduler.schedule(Backup.PLATFORM, set == null ? null : set.schedule());
        return set;
    }

    @Override
    public Backup platformBackup(String destinationId) {
        return platform.backup(destinationId);
    }

    @Override
    public List<Backup> platformBackups() {
        return platform.list();
    }

    /** Registers the passwords for redaction and schedules the backups of every database. */
    public void start() {
        for (StoredDatabase stored : store().listAll()) {
            redactor.register(stored.database().id(), List.of(password(stored)));
            scheduler.schedule(stored.database());
        }
        platform.policy().ifPresent(policy -> scheduler.schedule(Backup.PLATFORM, policy.schedule()));
    }

    @Override
    public void close() {
        scheduler.close();
        readiness.close();
    }

    Storage storage() {
        return storage;
    }

    DatabaseStore store() {
        return storage.databases();
    }

    // ---- lifecycle ----

    @Override
    public Database create(DatabaseSpec spec) {
        return provisioning.create(spec);
    }

    String createContainer(Database database, EngineDefinition definition, String password) {
        return provisioning.createContainer(database, definition, password);
    }

    Map<String, String> labels(Database database) {
        return provisioning.labels(database);
    }

    StoredDatabase stored(String id) {
        if (id == null || id.isBlank()) {
            throw PloyerException.invalid("id", "a database id is required");
        }
        return store().findById(id).orElseThrow(() -> PloyerException.notFound("database", id));
    }

    String password(StoredDatabase stored) {
        return cipher.decrypt(stored.database().id(), DatabaseSecrets.PASSWORD_FIELD, stored.passwordCiphertext());
    }

    static String containerId(StoredDatabase stored) {
        if (stored.containerId() == null) {
            throw new PloyerException(StandardErrorCode.INVALID_STATE, "database " + stored.database().name() + " has no container");
        }
        return stored.containerId();
    }

    @Override
    public List<Database> list() {
        return store().listAll().stream().map(StoredDatabase::database).toList();
    }

    @Override
    public Database get(String id) {
        return stored(id).database();
    }

    @Override
    public Database start(String id) {
        return startStored(stored(id));
    }

    Database startStored(StoredDatabase stored) {
        runtime.startContainer(containerId(stored));
        return awaitReady(stored);
    }

    Database awaitReady(StoredDatabase stored) {
        Database database = stored.database();
        boolean ready = readiness.await(() -> probe(stored).ready());
        Database updated = database.withStatus(ready ? DatabaseStatus.RUNNING : DatabaseStatus.FAILED);
        store().update(new StoredDatabase(updated, stored.passwordCiphertext(), stored.containerId()));
        if (!ready) {
            throw new PloyerException(StandardErrorCode.TIMEOUT, "database " + database.name()
                    + " did not become ready in time; see its logs");
        }
        return updated;
    }

    @Override
    public Database stop(String id) {
        StoredDatabase stored = stored(id);
        runtime.stopContainer(containerId(stored), STOP_TIMEOUT);
        Database updated = stored.database().withStatus(DatabaseStatus.STOPPED);
        store().update(new StoredDatabase(updated, stored.passwordCiphertext(), stored.containerId()));
        return updated;
    }

    @Override
    public Database restart(String id) {
        StoredDatabase stored = stored(id);
        runtime.restartContainer(containerId(stored), STOP_TIMEOUT);
        return awaitReady(stored);
    }

    @Override
    public Database upgrade(String id, String version) {
        return new DatabaseUpgrade(this, runtime, engines).upgrade(stored(id), version);
    }

    @Override
    public io.ployer.api.container.ResourceSample stats(String id) {
        return runtime.stats(containerId(stored(id)));
    }

    @Override
    public java.util.Optional<io.ployer.api.container.Endpoint> publicEndpoint(String id) {
        StoredDatabase stored = stored(id);
        if (!stored.database().publicPort() || stored.containerId() == null) {
            return java.util.Optional.empty();
        }
        return runtime.inspectContainer(stored.containerId()).filter(io.ployer.api.container.ContainerInfo::running)
                .map(io.ployer.api.container.ContainerInfo::endpoint);
    }

    @Override
    public void delete(String id, boolean deleteVolume) {
        StoredDatabase stored = stored(id);
        scheduler.cancel(id);
        provisioning.remove(stored, deleteVolume);
    }

    @Override
    public List<String> logs(String id, int tail) {
        if (tail < 1 || tail > 10_000) {
            throw PloyerException.invalid("tail", "tail must be between 1 and 10000");
        }
        return runtime.logs(containerId(stored(id)), tail).stream().map(redactor::redact).toList();
    }

    @Override
    public DatabaseHealth health(String id) {
        return probe(stored(id));
    }

    DatabaseHealth probe(StoredDatabase stored) {
        Database database = stored.database();
        EngineDefinition definition = engines.get(database.engine());
        try {
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            ExecResult result = runtime.exec(containerId(stored), definition.readinessCommand(database.username(),
                    database.databaseName()), definition.commandEnvironment(password(stored)), output, Cancellation.NONE);
            String said = redactor.redact((output.toString(StandardCharsets.UTF_8) + " " + result.errorTail()).strip());
            return new DatabaseHealth(result.succeeded(), result.succeeded() ? (said.isEmpty() ? "ready" : said)
                    : (said.isEmpty() ? "not ready (exit code " + result.exitCode() + ")" : said));
        } catch (PloyerException e) {
            return new DatabaseHealth(false, e.getMessage());
        }
    }

    // ---- links ----

    @Override
    public DatabaseLink link(String applicationId, String databaseId, String envPrefix) {
        return links.link(applicationId, databaseId, envPrefix);
    }

    @Override
    public List<DatabaseLink> links(String applicationId) {
        return links.links(applicationId);
    }

    @Override
    public void unlink(String applicationId, String databaseId) {
        links.unlink(applicationId, databaseId);
    }

    /** What a new container of the application gets: its links' variables (in clear) and networks. */
    LinkedResources linkedResources(String applicationId) {
        return links.linkedResources(applicationId);
    }

    /** Variables and networks of an application's links. */
    record LinkedResources(Map<String, String> environment, List<String> networks) {
    }

    // ---- backups ----

    @Override
    public Database setBackupPolicy(String id, BackupPolicy policy) {
        StoredDatabase stored = stored(id);
        if (policy != null) {
            if (policy.keep() < 1 || policy.keep() > 1000) {
                throw PloyerException.invalid("keep", "keep must be between 1 and 1000");
            }
            destination(policy.destinationId(), "destination_id");
            if (policy.schedule() != null) {
                BackupScheduler.validate(policy.schedule());
            }
        }
        Database updated = stored.database().withBackup(policy);
        store().update(new StoredDatabase(updated, stored.passwordCiphertext(), stored.containerId()));
        scheduler.schedule(updated);
        return updated;
    }

    StoredDestination destination(String id, String field) {
        return destinationBook.find(id, field);
    }

    @Override
    public BackupDestination createDestination(BackupDestinationSpec spec) {
        return destinationBook.create(spec);
    }

    @Override
    public List<BackupDestination> destinations() {
        return destinationBook.list();
    }

    @Override
    public void deleteDestination(String id) {
        destinationBook.delete(id, platform.policy());
    }

    BackupTarget target(StoredDestination stored) {
        return BackupDestinations.target(stored, cipher);
    }

    private void scheduledBackup(String databaseId) {
        if (Backup.PLATFORM.equals(databaseId)) {
            platform.scheduled();
            return;
        }
        try {
            Backup backup = backup(databaseId, null);
            LOG.info("scheduled backup {} of database {}: {}", backup.id(), databaseId, backup.status());
        } catch (RuntimeException e) {
            LOG.warn("scheduled backup of database {} could not run: {}", databaseId, e.getMessage());
        }
    }

    @Override
    public Backup backup(String id, String destinationId) {
        return backups.backup(stored(id), destinationId);
    }

    @Override
    public List<Backup> backups(String id) {
        stored(id);
        return store().listBackups(id);
    }

    @Override
    public void restore(String id, String backupId) {
        backups.restore(stored(id), backupId);
    }

    @Override
    public Database restoreIntoNew(String id, String backupId, String name) {
        return backups.restoreIntoNew(stored(id), backupId, name);
    }

    @Override
    public DatabaseHealth verify(String id, String backupId) {
        return backups.verify(stored(id), backupId);
    }

    /** Milliseconds, as storage keeps them: a record reads back equal to the one returned. */
    Instant now() {
        return clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    }
}
