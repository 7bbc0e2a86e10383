package io.ployer.engine.database;

import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.api.database.Backup;
import io.ployer.api.database.Database;
import io.ployer.api.database.DatabaseEngine;
import io.ployer.api.database.DatabaseStatus;
import io.ployer.spi.runtime.ContainerRuntime;
import io.ployer.spi.storage.DatabaseStore.StoredDatabase;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A minor upgrade of a database: a backup first (to its policy's destination), then stop-then-start
 * on the new image with the same volume; when the new container does not become ready, the old image
 * runs again and the upgrade fails with the reason.
 */
final class DatabaseUpgrade {
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseUpgrade.class);
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final DefaultDatabaseService service;
    private final ContainerRuntime runtime;
    private final Map<DatabaseEngine, EngineDefinition> engines;

    DatabaseUpgrade(DefaultDatabaseService service, ContainerRuntime runtime, Map<DatabaseEngine, EngineDefinition> engines) {
        this.service = service;
        this.runtime = runtime;
        this.engines = engines;
    }

    Database upgrade(StoredDatabase stored, String version) {
        Database database = stored.database();
        if (version == null || !VERSION.matcher(version).matches()) {
            throw PloyerException.invalid("version", "the version must be an image tag such as 15.4");
        }
        if (version.equals(database.version())) {
            throw PloyerException.invalid("version", "the database runs version " + version + " already");
        }
        if (!DatabaseRules.major(version).equals(DatabaseRules.major(database.version()))) {
            throw PloyerException.invalid("version", "only a minor upgrade within major version " + DatabaseRules.major(database.version())
                    + " is supported: a major upgrade needs a dump restored into a new database");
        }
        String image = DatabaseRules.repository(database.image()) + ":" + version;
        DatabaseRules.requireImage(runtime, image, "version");
        if (database.backup() == null) {
            throw new PloyerException(StandardErrorCode.INVALID_STATE, "database " + database.name()
                    + " has no backup policy: set one first, an upgrade takes a backup before it stops the database");
        }
        Backup backup = service.backup(database.id(), null);
        if (backup.status() != Backup.Status.SUCCEEDED) {
            throw new PloyerException(StandardErrorCode.INVALID_STATE, "the backup taken before the upgrade failed, so nothing"
                    + " was changed: " + backup.reason());
        }
        EngineDefinition definition = engines.get(database.engine());
        String password = service.password(stored);
        String oldContainer = DefaultDatabaseService.containerId(stored);
        runtime.stopContainer(oldContainer, STOP_TIMEOUT);
        runtime.removeContainer(oldContainer, true);
        Database upgraded = database.withVersion(version, image).withStatus(DatabaseStatus.STOPPED);
        String containerId = service.createContainer(upgraded, definition, password);
        StoredDatabase next = new StoredDatabase(upgraded, stored.passwordCiphertext(), containerId);
        service.store().update(next);
        runtime.startContainer(containerId);
        try {
            Database ready = service.awaitReady(next);
            LOG.info("database {} upgraded from {} to {} (backup {} taken first)", database.name(), database.version(), version,
                    backup.id());
            return ready;
        } catch (PloyerException notReady) {
            LOG.warn("database {} did not become ready on {}; starting {} again", database.name(), image, database.image());
            runtime.removeContainer(containerId, true);
            String restoredId = service.createContainer(database, definition, password);
            StoredDatabase previous = new StoredDatabase(database.withStatus(DatabaseStatus.STOPPED), stored.passwordCiphertext(),
                    restoredId);
            service.store().update(previous);
            runtime.startContainer(restoredId);
            service.awaitReady(previous);
            throw new PloyerException(StandardErrorCode.INVALID_STATE, "database " + database.name() + " did not become ready on "
                    + image + "; it runs " + database.image() + " again (backup " + backup.id() + " was taken before)");
        }
    }
}
