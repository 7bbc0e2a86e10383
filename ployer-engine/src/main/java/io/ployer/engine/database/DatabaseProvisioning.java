package io.ployer.engine.database;

import io.ployer.api.application.ResourceLimits;
import io.ployer.api.application.RestartPolicy;
import io.ployer.api.container.Mount;
import io.ployer.api.database.Database;
import io.ployer.api.database.DatabaseEngine;
import io.ployer.api.database.DatabaseSpec;
import io.ployer.api.database.DatabaseStatus;
import io.ployer.engine.secret.SecretCipher;
import io.ployer.engine.secret.SecretRedactor;
import io.ployer.spi.runtime.ContainerRuntime;
import io.ployer.spi.runtime.ContainerSpec;
import io.ployer.spi.storage.DatabaseStore.StoredDatabase;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes and removes databases. Making one: the record with its generated password (stored encrypted, registered for
 * redaction), its named volume, its private network, its container (the database's name is its host
 * name on that network), then starts it and waits until it is ready. Removing one takes away its container,
 * links, network (unless an application still joins it), record and, on request, its volume. Also names
 * what each database owns.
 */
final class DatabaseProvisioning {
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseProvisioning.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final DefaultDatabaseService service;
    private final ContainerRuntime runtime;
    private final SecretCipher cipher;
    private final SecretRedactor redactor;
    private final Map<DatabaseEngine, EngineDefinition> engines;
    private final Map<DatabaseEngine, String> images;
    private final String instanceId;

    DatabaseProvisioning(DefaultDatabaseService service, ContainerRuntime runtime, SecretCipher cipher, SecretRedactor redactor,
                     Map<DatabaseEngine, EngineDefinition> engines, Map<DatabaseEngine, String> images, String instanceId) {
        this.service = service;
        this.runtime = runtime;
        this.cipher = cipher;
        this.redactor = redactor;
        this.engines = engines;
        this.images = images;
        this.instanceId = instanceId;
    }

    Database create(DatabaseSpec spec) {
        ResourceLimits limits = DatabaseRules.validate(spec);
        String projectId = DatabaseRules.project(service.storage(), spec.projectId());
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
                Boolean.TRUE.equals(spec.publicPort()), limits, DatabaseStatus.STOPPED, null, service.now(), projectId, publicHost);
        StoredDatabase stored = new StoredDatabase(database, cipher.encrypt(id, DatabaseSecrets.PASSWORD_FIELD, password), null);
        service.store().insert(stored);
        redactor.register(id, List.of(password));
        try {
            runtime.createVolume(volumeName(database), labels(database));
            runtime.createNetwork(networkName(database), labels(database));
            String containerId = createContainer(database, definition, password);
            stored = new StoredDatabase(database, stored.passwordCiphertext(), containerId);
            service.store().update(stored);
            return service.startStored(stored);
        } catch (RuntimeException e) {
            LOG.warn("creating database {} failed: {}", spec.name(), e.getMessage());
            Database failed = database.withStatus(DatabaseStatus.FAILED);
            service.store().update(new StoredDatabase(failed, stored.passwordCiphertext(), stored.containerId()));
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
        return Map.of(DefaultDatabaseService.LABEL_DATABASE, database.id(), DefaultDatabaseService.LABEL_DATABASE_INSTANCE, instanceId);
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

    static String generatePassword() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return java.util.HexFormat.of().formatHex(bytes);
    }

    /** Removes a database: its container, links, network (kept while an application joins it), record and, if asked, volume. */
    void remove(StoredDatabase stored, boolean deleteVolume) {
        Database database = stored.database();
        String id = database.id();
        if (stored.containerId() != null) {
            runtime.removeContainer(stored.containerId(), true);
        }
        for (io.ployer.spi.storage.DatabaseStore.StoredLink link : service.store().listLinksOfDatabase(id)) {
            service.store().deleteLink(link.applicationId(), id);
        }
        try {
            runtime.removeNetwork(networkName(database));
        } catch (io.ployer.api.PloyerException e) {
            // An application container still joined to it keeps it; it goes when that container does.
            LOG.warn("network {} of database {} stays: {}", networkName(database), database.name(), e.getMessage());
        }
        if (deleteVolume) {
            runtime.removeVolume(volumeName(database));
        }
        service.store().delete(id);
        redactor.forget(id);
    }
}
