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
import io.ployer.spi.Cancellation;
import io.ployer.spi.runtime.ContainerRuntime;
import io.ployer.spi.runtime.ContainerSpec;
import io.ployer.spi.runtime.ExecResult;
import io.ployer.spi.runtime.Mount;
import io.ployer.spi.storage.DatabaseStore;
import io.ployer.spi.storage.DatabaseStore.StoredDatabase;
import io.ployer.spi.storage.DatabaseStore.StoredDestination;
import io.ployer.spi.storage.Storage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Pattern;
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
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern IMAGE = Pattern.compile("[a-z0-9][a-z0-9._/:-]{0,199}");
    private static final Pattern PREFIX = Pattern.compile("[A-Z][A-Z0-9_]{0,31}");
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
    }

    /** Registers the passwords for redaction and schedules the backups of every database. */
    public void start() {
        for (StoredDatabase stored : store().listAll()) {
            redactor.register(stored.database().id(), List.of(password(stored)));
            scheduler.schedule(stored.database());
        }
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
        if (spec == null) {
            throw PloyerException.invalid("name", "a request body with name and engine is required");
        }
        if (spec.name() == null || !NAME.matcher(spec.name()).matches()) {
            throw PloyerException.invalid("name", "the name must be 1 to 63 lower-case letters, digits or dashes, starting with a letter or digit");
        }
        if (spec.engine() == null) {
            throw PloyerException.invalid("engine", "the engine must be one of postgresql, mysql, mariadb, redis, mongodb");
        }
        if (spec.version() != null && !VERSION.matcher(spec.version()).matches()) {
            throw PloyerException.invalid("version", "the version must be an image tag such as 15 or 10.11");
        }
        if (spec.image() != null && !IMAGE.matcher(spec.image()).matches()) {
            throw PloyerException.invalid("image", "the image must be a repository name without tag, such as postgres");
        }
        ResourceLimits limits = spec.limits() == null ? ResourceLimits.NONE : spec.limits();
        if (limits.memoryBytes() != null && limits.memoryBytes() < 64L * 1024 * 1024) {
            throw PloyerException.invalid("limits", "the memory limit must be at least 64 MiB");
        }
        if (limits.cpus() != null && (limits.cpus() <= 0 || limits.cpus() > 1024)) {
            throw PloyerException.invalid("limits", "the CPU limit must be more than 0 and at most 1024");
        }
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
                List.of(new Mount(volumeName(database), definition.dataDirectory(), false, false)), database.publicHost());
        String containerId = runtime.createContainer(spec);
        // The database's name is its host name on its network, for linked applications.
        runtime.disconnectNetwork(networkName(database), containerId);
        runtime.connectNetwork(networkName(database), containerId, List.of(database.name()));
        return containerId;
    }

    private Map<String, String> labels(Database database) {
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
    public io.ployer.spi.runtime.ResourceSample stats(String id) {
        return runtime.stats(containerId(stored(id)));
    }

    @Override
    public java.util.Optional<io.ployer.spi.runtime.Endpoint> publicEndpoint(String id) {
        StoredDatabase stored = stored(id);
        if (!stored.database().publicPort() || stored.containerId() == null) {
            return java.util.Optional.empty();
        }
        return runtime.inspectContainer(stored.containerId()).filter(io.ployer.spi.runtime.ContainerInfo::running)
                .map(io.ployer.spi.runtime.ContainerInfo::endpoint);
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

    private DatabaseHealth probe(StoredDatabase stored) {
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
        if (applicationId == null || applicationId.isBlank()) {
            throw PloyerException.invalid("id", "an application id is required");
        }
        if (databaseId == null || databaseId.isBlank()) {
            throw PloyerException.invalid("database_id", "database_id is required");
        }
        String prefix = envPrefix == null || envPrefix.isBlank() ? "DATABASE" : envPrefix;
        if (!PREFIX.matcher(prefix).matches()) {
            throw PloyerException.invalid("env_prefix", "env_prefix must be upper-case letters, digits or underscores, starting with a letter");
        }
        var application = storage.applications().findById(applicationId)
                .orElseThrow(() -> PloyerException.notFound("application", applicationId));
        StoredDatabase stored = store().findById(databaseId).orElseThrow(() -> PloyerException.invalid("database_id",
                "no database has the id " + databaseId));
        if (!application.projectId().equals(stored.database().projectId())) {
            throw PloyerException.invalid("database_id", "the database is in project " + stored.database().projectId()
                    + " and the application in project " + application.projectId() + ": a link stays inside one project");
        }
        var link = new DatabaseStore.StoredLink(applicationId, databaseId, prefix, now());
        store().insertLink(link);
        return masked(link, stored);
    }

    @Override
    public List<DatabaseLink> links(String applicationId) {
        storage.applications().findById(applicationId).orElseThrow(() -> PloyerException.notFound("application", applicationId));
        List<DatabaseLink> links = new ArrayList<>();
        for (var link : store().listLinks(applicationId)) {
            store().findById(link.databaseId()).ifPresent(stored -> links.add(masked(link, stored)));
        }
        return links;
    }

    @Override
    public void unlink(String applicationId, String databaseId) {
        if (!store().deleteLink(applicationId, databaseId)) {
            throw PloyerException.notFound("link", databaseId);
        }
    }

    private DatabaseLink masked(DatabaseStore.StoredLink link, StoredDatabase stored) {
        return new DatabaseLink(link.applicationId(), link.databaseId(), link.envPrefix(),
                linkEnvironment(link.envPrefix(), stored, SecretRedactor.MASK), link.createdAt());
    }

    /** The variables an application linked with {@code prefix} gets; {@code password} is the real one or the mask. */
    Map<String, String> linkEnvironment(String prefix, StoredDatabase stored, String password) {
        Database database = stored.database();
        EngineDefinition definition = engines.get(database.engine());
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put(prefix + "_URL", definition.url(database.name(), database.username(), password, database.databaseName()));
        environment.put(prefix + "_HOST", database.name());
        environment.put(prefix + "_PORT", Integer.toString(database.port()));
        environment.put(prefix + "_USER", database.username());
        environment.put(prefix + "_PASSWORD", password);
        environment.put(prefix + "_NAME", database.databaseName());
        return environment;
    }

    /** What a new container of the application gets: its links' variables (in clear) and networks. */
    LinkedResources linkedResources(String applicationId) {
        Map<String, String> environment = new LinkedHashMap<>();
        List<String> networks = new ArrayList<>();
        for (var link : store().listLinks(applicationId)) {
            store().findById(link.databaseId()).ifPresent(stored -> {
                environment.putAll(linkEnvironment(link.envPrefix(), stored, password(stored)));
                networks.add(networkName(stored.database()));
            });
        }
        return new LinkedResources(environment, networks);
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

    private StoredDestination destination(String id, String field) {
        if (id == null || id.isBlank()) {
            throw PloyerException.invalid(field, field + " is required");
        }
        return store().findDestination(id).orElseThrow(() -> PloyerException.invalid(field, "no backup destination has the id " + id));
    }

    @Override
    public BackupDestination createDestination(BackupDestinationSpec spec) {
        if (spec == null || spec.name() == null || !NAME.matcher(spec.name()).matches()) {
            throw PloyerException.invalid("name", "the name must be 1 to 63 lower-case letters, digits or dashes");
        }
        if (spec.kind() == null) {
            throw PloyerException.invalid("kind", "the kind must be local or s3");
        }
        String id = UUID.randomUUID().toString();
        String secret = null;
        if (spec.kind() == BackupDestination.Kind.LOCAL) {
            if (spec.path() == null || !spec.path().startsWith("/")) {
                throw PloyerException.invalid("path", "a local destination needs an absolute directory path");
            }
        } else {
            if (spec.bucket() == null || !spec.bucket().matches("[a-z0-9][a-z0-9.-]{1,62}")) {
                throw PloyerException.invalid("bucket", "the bucket must be an S3 bucket name");
            }
            if (spec.endpoint() != null && !spec.endpoint().matches("https?://[^\\s/]+(/.*)?")) {
                throw PloyerException.invalid("endpoint", "the endpoint must be an http or https URL");
            }
            if (spec.accessKey() == null || spec.accessKey().isBlank() || spec.secretKey() == null || spec.secretKey().isBlank()) {
                throw PloyerException.invalid("access_key", "an S3 destination needs access_key and secret_key");
            }
            secret = cipher.encrypt(id, DatabaseSecrets.SECRET_KEY_FIELD, spec.secretKey());
        }
        BackupDestination destination = new BackupDestination(id, spec.name(), spec.kind(), spec.path(), spec.endpoint(),
                spec.bucket(), spec.region(), Boolean.TRUE.equals(spec.pathStyle()), spec.accessKey(), now());
        store().insertDestination(new StoredDestination(destination, secret));
        return destination;
    }

    @Override
    public List<BackupDestination> destinations() {
        return store().listDestinations().stream().map(StoredDestination::destination).toList();
    }

    @Override
    public void deleteDestination(String id) {
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
        BackupDestination destination = stored.destination();
        return switch (destination.kind()) {
            case LOCAL -> new LocalDirectoryTarget(Path.of(destination.path()));
            case S3 -> new S3Target(destination.endpoint(), destination.region(), destination.bucket(), destination.pathStyle(),
                    destination.accessKey(), cipher.decrypt(destination.id(), DatabaseSecrets.SECRET_KEY_FIELD, stored.secretKeyCiphertext()),
                    destination.path());
        };
    }

    private void scheduledBackup(String databaseId) {
        try {
            Backup backup = backup(databaseId, null);
            LOG.info("scheduled backup {} of database {}: {}", backup.id(), databaseId, backup.status());
        } catch (RuntimeException e) {
            LOG.warn("scheduled backup of database {} could not run: {}", databaseId, e.getMessage());
        }
    }

    @Override
    public Backup backup(String id, String destinationId) {
        StoredDatabase stored = stored(id);
        Database database = stored.database();
        String chosen = destinationId != null ? destinationId : database.backup() == null ? null : database.backup().destinationId();
        if (chosen == null) {
            throw PloyerException.invalid("destination_id", "the database has no backup policy: name a destination_id");
        }
        StoredDestination destination = destination(chosen, "destination_id");
        Instant started = now();
        String key = keyPrefix(database) + started.toString().replace(":", "-") + "-" + UUID.randomUUID().toString().substring(0, 8)
                + "." + engines.get(database.engine()).dumpSuffix() + ".gz";
        Backup running = new Backup(UUID.randomUUID().toString(), id, chosen, Backup.Status.RUNNING, null, 0, null, null,
                started, null);
        store().insertBackup(running);
        Backup finished;
        try (BackupTarget target = target(destination)) {
            BackupStream.Result result = new BackupStream(runtime, engines.get(database.engine()), threadFactory).dump(containerId(stored),
                    database, password(stored), target, key);
            finished = new Backup(running.id(), id, chosen, Backup.Status.SUCCEEDED, key, result.size(), result.sha256(), null,
                    started, now());
            store().updateBackup(finished);
            writeManifest(target, key, database, finished);
            if (database.backup() != null && chosen.equals(database.backup().destinationId())) {
                prune(database, chosen, target, database.backup().keep());
            }
        } catch (IOException | RuntimeException e) {
            String reason = redactor.redact(e instanceof IOException ? e.getMessage() : "the dump failed: " + e.getMessage());
            LOG.warn("backup of database {} failed: {}", database.name(), reason);
            finished = new Backup(running.id(), id, chosen, Backup.Status.FAILED, null, 0, null, reason, started, now());
            store().updateBackup(finished);
        }
        events.accept(new PloyerEvent.BackupRecorded(id, finished.id(), finished.status(), finished.reason(), now()));
        return finished;
    }

    private static String keyPrefix(Database database) {
        return database.name() + "/";
    }

    private void writeManifest(BackupTarget target, String key, Database database, Backup backup) throws IOException {
        String manifest = "{\"engine\":\"" + database.engine().name().toLowerCase(Locale.ROOT) + "\",\"version\":\""
                + database.version() + "\",\"image\":\"" + database.image() + "\",\"database\":\"" + database.name()
                + "\",\"file\":\"" + key + "\",\"size\":" + backup.sizeBytes() + ",\"sha256\":\"" + backup.sha256()
                + "\",\"started\":\"" + backup.startedAt() + "\",\"finished\":\"" + backup.finishedAt() + "\"}\n";
        target.write(key + ".manifest.json", new java.io.ByteArrayInputStream(manifest.getBytes(StandardCharsets.UTF_8)));
    }

    /** Keeps the newest {@code keep} successful backups at the destination; older ones are deleted and marked PRUNED. */
    private void prune(Database database, String destinationId, BackupTarget target, int keep) throws IOException {
        List<Backup> succeeded = store().listBackups(database.id()).stream()
                .filter(backup -> backup.status() == Backup.Status.SUCCEEDED && backup.destinationId().equals(destinationId))
                .toList();
        for (Backup old : succeeded.subList(Math.min(keep, succeeded.size()), succeeded.size())) {
            target.delete(old.location());
            target.delete(old.location() + ".manifest.json");
            store().updateBackup(new Backup(old.id(), old.databaseId(), old.destinationId(), Backup.Status.PRUNED, old.location(),
                    old.sizeBytes(), old.sha256(), "pruned: the policy keeps " + keep, old.startedAt(), old.finishedAt()));
        }
    }

    @Override
    public List<Backup> backups(String id) {
        stored(id);
        return store().listBackups(id);
    }

    private Backup recordedBackup(String databaseId, String backupId) {
        if (backupId == null) {
            return store().listBackups(databaseId).stream().filter(backup -> backup.status() == Backup.Status.SUCCEEDED)
                    .findFirst().orElseThrow(() -> new PloyerException(StandardErrorCode.INVALID_STATE,
                            "the database has no successful backup"));
        }
        Backup backup = store().findBackup(backupId).filter(found -> found.databaseId().equals(databaseId))
                .orElseThrow(() -> PloyerException.invalid("backup_id", "the database has no backup with the id " + backupId));
        if (backup.status() != Backup.Status.SUCCEEDED) {
            throw PloyerException.invalid("backup_id", "backup " + backupId + " is " + backup.status() + ", not a restorable backup");
        }
        return backup;
    }

    @Override
    public void restore(String id, String backupId) {
        StoredDatabase stored = stored(id);
        if (backupId == null || backupId.isBlank()) {
            throw PloyerException.invalid("backup_id", "backup_id is required");
        }
        Backup backup = recordedBackup(id, backupId);
        restoreInto(stored, containerId(stored), backup);
    }

    private void restoreInto(StoredDatabase stored, String containerId, Backup backup) {
        StoredDestination destination = store().findDestination(backup.destinationId()).orElseThrow(() ->
                new PloyerException(StandardErrorCode.INVALID_STATE, "the destination of backup " + backup.id() + " was deleted"));
        try (BackupTarget target = target(destination)) {
            new BackupStream(runtime, engines.get(stored.database().engine()), threadFactory).restore(containerId, stored.database(),
                    password(stored), target, backup, temporaryDirectory, () -> readiness.await(() -> probeContainer(stored,
                            containerId).ready()));
        } catch (IOException e) {
            throw new PloyerException(StandardErrorCode.RUNTIME_FAILURE, "restoring backup " + backup.id() + " failed: "
                    + redactor.redact(e.getMessage()), e);
        }
    }

    private DatabaseHealth probeContainer(StoredDatabase stored, String containerId) {
        return probe(new StoredDatabase(stored.database(), stored.passwordCiphertext(), containerId));
    }

    @Override
    public DatabaseHealth verify(String id, String backupId) {
        StoredDatabase stored = stored(id);
        Database database = stored.database();
        Backup backup = recordedBackup(id, backupId);
        EngineDefinition definition = engines.get(database.engine());
        String password = password(stored);
        Map<String, String> environment = new LinkedHashMap<>(definition.containerEnvironment(database.username(), password,
                database.databaseName()));
        environment.putAll(definition.extraContainerEnvironment(password));
        String name = containerName(database) + "-verify-" + UUID.randomUUID().toString().substring(0, 8);
        String containerId = runtime.createContainer(new ContainerSpec(name, database.image(), environment, 0, labels(database),
                database.limits(), RestartPolicy.NO, definition.containerCommand(), null));
        try {
            runtime.startContainer(containerId);
            if (!readiness.await(() -> probeContainer(stored, containerId).ready())) {
                return new DatabaseHealth(false, "the throwaway container did not become ready");
            }
            restoreInto(stored, containerId, backup);
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            ExecResult result = runtime.exec(containerId, definition.checkCommand(database.username(), database.databaseName()),
                    definition.commandEnvironment(password), output, Cancellation.NONE);
            String said = output.toString(StandardCharsets.UTF_8).strip();
            if (!result.succeeded()) {
                return new DatabaseHealth(false, "the check query failed: " + redactor.redact(result.errorTail()));
            }
            long count = said.matches("\\d+") ? Long.parseLong(said) : -1;
            return new DatabaseHealth(count > 0, "backup " + backup.id() + " restored into a throwaway container; the check"
                    + " query found " + said + (database.engine() == DatabaseEngine.REDIS ? " keys" : " tables"));
        } catch (PloyerException e) {
            return new DatabaseHealth(false, e.getMessage());
        } finally {
            runtime.removeContainer(containerId, true);
        }
    }

    /** Milliseconds, as storage keeps them: a record reads back equal to the one returned. */
    private Instant now() {
        return clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    }

    static String generatePassword() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return java.util.HexFormat.of().formatHex(bytes);
    }

    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("could not delete {}: {}", file, e.getMessage());
        }
    }
}
