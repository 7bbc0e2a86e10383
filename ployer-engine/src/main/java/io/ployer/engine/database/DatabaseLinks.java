package io.ployer.engine.database;

import io.ployer.api.PloyerException;
import io.ployer.api.database.Database;
import io.ployer.api.database.DatabaseEngine;
import io.ployer.api.database.DatabaseLink;
import io.ployer.engine.secret.SecretRedactor;
import io.ployer.spi.storage.DatabaseStore;
import io.ployer.spi.storage.DatabaseStore.StoredDatabase;
import io.ployer.spi.storage.Storage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Applications linked to databases of their project: the variables ({@code <PREFIX>_URL}, host, port,
 * user, password, name) and the network a linked application's next container gets; passwords masked
 * in every listing.
 */
final class DatabaseLinks {
    private static final Pattern PREFIX = Pattern.compile("[A-Z][A-Z0-9_]{0,31}");

    private final DefaultDatabaseService service;
    private final Storage storage;
    private final Map<DatabaseEngine, EngineDefinition> engines;

    DatabaseLinks(DefaultDatabaseService service, Storage storage, Map<DatabaseEngine, EngineDefinition> engines) {
        this.service = service;
        this.storage = storage;
        this.engines = engines;
    }

    DatabaseLink link(String applicationId, String databaseId, String envPrefix) {
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
        StoredDatabase stored = service.store().findById(databaseId).orElseThrow(() -> PloyerException.invalid("database_id",
                "no database has the id " + databaseId));
        if (!application.projectId().equals(stored.database().projectId())) {
            throw PloyerException.invalid("database_id", "the database is in project " + stored.database().projectId()
                    + " and the application in project " + application.projectId() + ": a link stays inside one project");
        }
        var link = new DatabaseStore.StoredLink(applicationId, databaseId, prefix, service.now());
        service.store().insertLink(link);
        return masked(link, stored);
    }

    List<DatabaseLink> links(String applicationId) {
        storage.applications().findById(applicationId).orElseThrow(() -> PloyerException.notFound("application", applicationId));
        List<DatabaseLink> links = new ArrayList<>();
        for (var link : service.store().listLinks(applicationId)) {
            service.store().findById(link.databaseId()).ifPresent(stored -> links.add(masked(link, stored)));
        }
        return links;
    }

    void unlink(String applicationId, String databaseId) {
        if (!service.store().deleteLink(applicationId, databaseId)) {
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
    DefaultDatabaseService.LinkedResources linkedResources(String applicationId) {
        Map<String, String> environment = new LinkedHashMap<>();
        List<String> networks = new ArrayList<>();
        for (var link : service.store().listLinks(applicationId)) {
            service.store().findById(link.databaseId()).ifPresent(stored -> {
                environment.putAll(linkEnvironment(link.envPrefix(), stored, service.password(stored)));
                networks.add(DatabaseProvisioning.networkName(stored.database()));
            });
        }
        return new DefaultDatabaseService.LinkedResources(environment, networks);
    }
}
