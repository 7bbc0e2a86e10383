package io.ployer.engine.database;

import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.api.application.RestartPolicy;
import io.ployer.api.database.Backup;
import io.ployer.api.database.Database;
import io.ployer.api.database.DatabaseEngine;
import io.ployer.api.database.DatabaseHealth;
import io.ployer.api.database.DatabaseSpec;
import io.ployer.api.event.PloyerEvent;
import io.ployer.engine.secret.SecretRedactor;
import io.ployer.spi.plugin.Cancellation;
import io.ployer.spi.runtime.ContainerRuntime;
import io.ployer.spi.runtime.ContainerSpec;
import io.ployer.spi.runtime.ExecResult;
import io.ployer.spi.storage.DatabaseStore.StoredDatabase;
import io.ployer.spi.storage.DatabaseStore.StoredDestination;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A database's backups: the dump streamed to a destination with its manifest and the retention
 * policy applied, restores of a recorded backup, and verification in a throwaway container.
 */
final class DatabaseBackups {
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseBackups.class);

    private final DefaultDatabaseService service;
    private final ContainerRuntime runtime;
    private final Map<DatabaseEngine, EngineDefinition> engines;
    private final ThreadFactory threadFactory;
    private final SecretRedactor redactor;
    private final Consumer<PloyerEvent> events;
    private final ReadinessWait readiness;
    private final Path temporaryDirectory;

    DatabaseBackups(DefaultDatabaseService service, ContainerRuntime runtime, Map<DatabaseEngine, EngineDefinition> engines,
                    ThreadFactory threadFactory, SecretRedactor redactor, Consumer<PloyerEvent> events, ReadinessWait readiness,
                    Path temporaryDirectory) {
        this.service = service;
        this.runtime = runtime;
        this.engines = engines;
        this.threadFactory = threadFactory;
        this.redactor = redactor;
        this.events = events;
        this.readiness = readiness;
        this.temporaryDirectory = temporaryDirectory;
    }

    Backup backup(StoredDatabase stored, String destinationId) {
        Database database = stored.database();
        String id = database.id();
        String chosen = destinationId != null ? destinationId : database.backup() == null ? null : database.backup().destinationId();
        if (chosen == null) {
            throw PloyerException.invalid("destination_id", "the database has no backup policy: name a destination_id");
        }
        StoredDestination destination = service.destination(chosen, "destination_id");
        Instant started = service.now();
        String key = keyPrefix(database) + started.toString().replace(":", "-") + "-" + UUID.randomUUID().toString().substring(0, 8)
                + "." + engines.get(database.engine()).dumpSuffix() + ".gz";
        Backup running = new Backup(UUID.randomUUID().toString(), id, chosen, Backup.Status.RUNNING, null, 0, null, null,
                started, null);
        service.store().insertBackup(running);
        Backup finished;
        try (BackupTarget target = service.target(destination)) {
            BackupStream.Result result = new BackupStream(runtime, engines.get(database.engine()), threadFactory).dump(DefaultDatabaseService.containerId(stored),
                    database, service.password(stored), target, key);
            finished = new Backup(running.id(), id, chosen, Backup.Status.SUCCEEDED, key, result.size(), result.sha256(), null,
                    started, service.now());
            service.store().updateBackup(finished);
            writeManifest(target, key, database, finished);
            if (database.backup() != null && chosen.equals(database.backup().destinationId())) {
                prune(database, chosen, target, database.backup().keep());
            }
        } catch (IOException | RuntimeException e) {
            String reason = redactor.redact(e instanceof IOException ? e.getMessage() : "the dump failed: " + e.getMessage());
            LOG.warn("backup of database {} failed: {}", database.name(), reason);
            finished = new Backup(running.id(), id, chosen, Backup.Status.FAILED, null, 0, null, reason, started, service.now());
            service.store().updateBackup(finished);
        }
        events.accept(new PloyerEvent.BackupRecorded(id, finished.id(), finished.status(), finished.reason(), service.now()));
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
        List<Backup> succeeded = service.store().listBackups(database.id()).stream()
                .filter(backup -> backup.status() == Backup.Status.SUCCEEDED && backup.destinationId().equals(destinationId))
                .toList();
        for (Backup old : succeeded.subList(Math.min(keep, succeeded.size()), succeeded.size())) {
            target.delete(old.location());
            target.delete(old.location() + ".manifest.json");
            service.store().updateBackup(new Backup(old.id(), old.databaseId(), old.destinationId(), Backup.Status.PRUNED, old.location(),
                    old.sizeBytes(), old.sha256(), "pruned: the policy keeps " + keep, old.startedAt(), old.finishedAt()));
        }
    }

    private Backup recordedBackup(String databaseId, String backupId) {
        if (backupId == null) {
            return service.store().listBackups(databaseId).stream().filter(backup -> backup.status() == Backup.Status.SUCCEEDED)
                    .findFirst().orElseThrow(() -> new PloyerException(StandardErrorCode.INVALID_STATE,
                            "the database has no successful backup"));
        }
        Backup backup = service.store().findBackup(backupId).filter(found -> found.databaseId().equals(databaseId))
                .orElseThrow(() -> PloyerException.invalid("backup_id", "the database has no backup with the id " + backupId));
        if (backup.status() != Backup.Status.SUCCEEDED) {
            throw PloyerException.invalid("backup_id", "backup " + backupId + " is " + backup.status() + ", not a restorable backup");
        }
        return backup;
    }

    void restore(StoredDatabase stored, String backupId) {
        String id = stored.database().id();
        if (backupId == null || backupId.isBlank()) {
            throw PloyerException.invalid("backup_id", "backup_id is required");
        }
        Backup backup = recordedBackup(id, backupId);
        restoreInto(stored, DefaultDatabaseService.containerId(stored), backup);
    }

    /**
     * Creates a database of the same engine, version, image, limits and project (fresh credentials, not
     * published) and restores the backup into it; a failed restore removes it again with its volume.
     */
    Database restoreIntoNew(StoredDatabase source, String backupId, String name) {
        Database from = source.database();
        if (backupId == null || backupId.isBlank()) {
            throw PloyerException.invalid("backup_id", "backup_id is required");
        }
        Backup backup = recordedBackup(from.id(), backupId);
        if (name == null || name.isBlank()) {
            throw PloyerException.invalid("name", "name of the new database is required");
        }
        Database created = service.create(new DatabaseSpec(name, from.engine(), from.version(), DatabaseRules.repository(from.image()),
                false, from.limits(), from.projectId(), null));
        try {
            StoredDatabase target = service.stored(created.id());
            restoreInto(target, DefaultDatabaseService.containerId(target), backup);
            LOG.info("backup {} of database {} restored into the new database {}", backup.id(), from.name(), name);
            return service.get(created.id());
        } catch (RuntimeException e) {
            LOG.warn("restoring backup {} into the new database {} failed; removing it: {}", backup.id(), name, e.getMessage());
            service.delete(created.id(), true);
            throw e;
        }
    }

    private void restoreInto(StoredDatabase stored, String containerId, Backup backup) {
        StoredDestination destination = service.store().findDestination(backup.destinationId()).orElseThrow(() ->
                new PloyerException(StandardErrorCode.INVALID_STATE, "the destination of backup " + backup.id() + " was deleted"));
        try (BackupTarget target = service.target(destination)) {
            new BackupStream(runtime, engines.get(stored.database().engine()), threadFactory).restore(containerId, stored.database(),
                    service.password(stored), target, backup, temporaryDirectory, () -> readiness.await(() -> probeContainer(stored,
                            containerId).ready()));
        } catch (IOException e) {
            throw new PloyerException(StandardErrorCode.RUNTIME_FAILURE, "restoring backup " + backup.id() + " failed: "
                    + redactor.redact(e.getMessage()), e);
        }
    }

    private DatabaseHealth probeContainer(StoredDatabase stored, String containerId) {
        return service.probe(new StoredDatabase(stored.database(), stored.passwordCiphertext(), containerId));
    }

    DatabaseHealth verify(StoredDatabase stored, String backupId) {
        Database database = stored.database();
        String id = database.id();
        Backup backup = recordedBackup(id, backupId);
        EngineDefinition definition = engines.get(database.engine());
        String password = service.password(stored);
        Map<String, String> environment = new LinkedHashMap<>(definition.containerEnvironment(database.username(), password,
                database.databaseName()));
        environment.putAll(definition.extraContainerEnvironment(password));
        String name = DatabaseProvisioning.containerName(database) + "-verify-" + UUID.randomUUID().toString().substring(0, 8);
        String containerId = runtime.createContainer(new ContainerSpec(name, database.image(), environment, 0, service.labels(database),
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
}
