package io.ployer.engine.database;

import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.api.application.ResourceLimits;
import io.ployer.api.application.RestartPolicy;
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
import io.ployer.spi.runtime.ContainerSpec;
import io.ployer.spi.runtime.ExecResult;
import io.ployer.api.container.Mount;
import io.ployer.spi.storage.DatabaseStore;
import io.ployer.spi.storage.DatabaseStore.StoredDatabase;
import io.ployer.spi.storage.DatabaseStore.StoredDestination;
import io.ployer.spi.storage.Storage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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
    private static final SecureRandom RANDOM = new SecureRandom();
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

    DatabaseStore store() {
        return storage.databases();
    }

    // ---- lifecycle ----

    @Override
    public Database create(DatabaseSpec spec) {
        ResourceLimits limits = DatabaseRules.validate(spec);
        String projectId = DatabaseRules.project(storage, spec.projectId());
        String publicHost = DatabaseRules.publicHost(spec.publicPort(), spec.publicHost());
        EngineDefinition definition = engines.get(spec.engine());
        String version = spec.version() == null ? definition.defaultVersion() : spec.version();
        String image = (spec.image() == null ? images.getOrDefault(spec.engine(), definition.image()) : spec.image()) + ":" + version;
        DatabaseRules.requireImage(runtime, image, "image");
        String id = UUID.randomUUID().toString();
        String password = generatePassword();
        String user = spec.engine() == DatabaseEngine.REDIS ? "default" : "ployer";
        String databaseName = spec.engine() == DatabaseEngine.REDIS ? "0" : spec.name().replace('-', '_');
        Database database = new Database(id, spec.name(), spec.engine(), version, image, user, databaseName, definition.port(),
                Boolean.TRUE.equals(spec.publicPort()), limits, DatabaseStatus.STOPPED, null, now(), projectId, publicHost);
        StoredDatabase stored = new StoredDatabase(database, cipher.encrypt(id, DatabaseSecrets.PASSWORD_FIELD, password), null);
        store().insert(stored);
        redactor.register(id, List.of(password));
        try {
            runtime.createVolume(volumeName(database), labels(database));
            runtime.createNetwork(networkName(database), labels(database));
            String containerId = createContainer(database, definition, password);
            stored = new StoredDatabase(database, stored.passwordCiphertext(), containerId);
            store().update(stored);
            return startStored(stored);
        } catch (RuntimeException e) {
            LOG.warn("creating database {} failed: {}", spec.name(), e.getMessage());
            Database failed = database.withStatus(DatabaseStatus.FAILED);
            store().update(new StoredDatabase(failed, stored.passwordCiphertext(), stored.containerId()));
            throw e;
        }
    }

    String createContainer(Database database, EngineDefinition definition, String password) {
        Map<String, String> environment = new LinkedHashMap<>(definition.containerEnvironment(database.username(), password,
                database.databaseName()));
        environment.putAll(definition.extraContainerEnvironment(password));
        ContainerSpec spec = new ContainerSpec(containerName(database), database.image(), environment,
                database.publicPort() ? definition.port() : 0, labels(database), database.limits(), RestartPolicy.UNLESS_STOPPED,
                definition.containerCommand(), networkName(database),
                List.of(new Mount(volumeName(database), definition.dataDirectory(), false, false)), null, database.publicHost());
        String containerId = runtime.createContainer(spec);
        // The database's name is its host name on its network, for linked applications.
        runtime.disconnectNetwork(networkName(database), containerId);
        runtime.connectNetwork(networkName(database), containerId, List.of(database.name()));
        return containerId;
    }

    Map<String, String> labels(Database database) {
        return Map.of(LABEL_DATABASE, database.id(), LABEL_DATABASE_INSTANCE, instanceId);
    }

    static String containerName(Database database) {
        return "ployer-db-" + database.name();
    }

    static String networkName(Database database) {
        return "ployer-db-" + database.name();
    }

    static String volumeName(Database database) {
        return "ployer-db-" + database.name() + "-data";
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

    private Database startStored(StoredDatabase stored) {
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
        Database database = stored.database();
        scheduler.cancel(id);
        if (stored.containerId() != null) {
            runtime.removeContainer(stored.containerId(), true);
        }
        for (DatabaseStore.StoredLink link : store().listLinksOfDatabase(id)) {
            store().deleteLink(link.applicationId(), id);
        }
        try {
            runtime.removeNetwork(networkName(database));
        } catch (PloyerException e) {
            // An application container still joined to it keeps it; it goes when that container does.
            LOG.warn("network {} of database {} stays: {}", networkName(database), database.name(), e.getMessage());
        }
        if (deleteVolume) {
            runtime.removeVolume(volumeName(database));
        }
        store().delete(id);
        redactor.forget(id);
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
        if (id == null || id.isBlank()) {
            throw PloyerException.invalid(field, field + " is required");
        }
        return store().findDestination(id).orElseThrow(() -> PloyerException.invalid(field, "no backup destination has the id " + id));
    }

    @Override
    public BackupDestination createDestination(BackupDestinationSpec spec) {
        StoredDestination destination = BackupDestinations.validated(spec, cipher, now());
        store().insertDestination(destination);
        return destination.destination();
    }

    @Override
    public List<BackupDestination> destinations() {
        return store().listDestinations().stream().map(StoredDestination::destination).toList();
    }

    @Override
    public void deleteDestination(String id) {
        if (platform.policy().filter(policy -> policy.destinationId().equals(id)).isPresent()) {
            throw PloyerException.conflict("id", "platform backups go to this destination");
        }
        for (StoredDatabase stored : store().listAll()) {
            BackupPolicy policy = stored.database().backup();
            if (policy != null && policy.destinationId().equals(id)) {
                throw PloyerException.conflict("id", "database " + stored.database().name() + " backs up to this destination");
            }
        }
        if (!store().deleteDestination(id)) {
            throw PloyerException.notFound("backup destination", id);
        }
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

    static String generatePassword() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return java.util.HexFormat.of().formatHex(bytes);
    }
}
