package io.ployer.engine.access;

import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.api.access.Project;
import io.ployer.api.account.AccountService.Principal;
import io.ployer.api.database.Backup;
import io.ployer.api.database.BackupDestination;
import io.ployer.api.database.BackupDestinationSpec;
import io.ployer.api.database.BackupPolicy;
import io.ployer.api.database.Database;
import io.ployer.api.database.DatabaseHealth;
import io.ployer.api.database.DatabaseLink;
import io.ployer.api.database.DatabaseService;
import io.ployer.api.database.DatabaseSpec;
import io.ployer.api.container.Endpoint;
import io.ployer.api.container.ResourceSample;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@link DatabaseService} as one principal may use it. Databases belong to a project like applications:
 * viewers see them (never a credential: a database carries none, a link's password is masked),
 * developers create and run them, back them up, restore and link them to the project's applications,
 * project admins delete them. Exposing one on a host interface, a custom image, backup destinations
 * (they hold credentials) and platform backups are for instance admins.
 */
final class GuardedDatabaseService implements DatabaseService {
    private final DatabaseService delegate;
    private final Permissions permissions;
    private final Principal principal;

    GuardedDatabaseService(DatabaseService delegate, Permissions permissions, Principal principal) {
        this.delegate = delegate;
        this.permissions = permissions;
        this.principal = principal;
    }

    /** Checks {@code action} on the database (NOT_FOUND when absent or invisible). */
    private Database require(String id, Action action) {
        Database database;
        try {
            database = id == null || id.length() > 64 ? null : delegate.get(id);
        } catch (PloyerException e) {
            if (e.code() != StandardErrorCode.NOT_FOUND && e.code() != StandardErrorCode.INVALID_ARGUMENT) {
                throw e;
            }
            database = null;
        }
        if (database == null) {
            throw PloyerException.notFound("database", id);
        }
        permissions.require(principal, database.projectId(), action, "database", id);
        return database;
    }

    private void requireInstanceAdmin(String what) {
        if (!Permissions.isInstanceAdmin(principal)) {
            throw new PloyerException(StandardErrorCode.PERMISSION_DENIED, "only an instance admin may " + what);
        }
    }

    @Override
    public Database create(DatabaseSpec spec) {
        if (spec == null) {
            throw PloyerException.invalid("body", "is required");
        }
        String projectId = spec.projectId() == null ? Project.DEFAULT_ID : spec.projectId();
        if (!permissions.maySee(principal, projectId)) {
            throw PloyerException.invalid("project_id", "must name an existing project");
        }
        permissions.require(principal, projectId, Action.WRITE, "project", projectId);
        if (Boolean.TRUE.equals(spec.publicPort()) || spec.publicHost() != null) {
            requireInstanceAdmin("publish a database on a host interface");
        }
        if (spec.image() != null) {
            requireInstanceAdmin("choose a database's image");
        }
        return delegate.create(spec);
    }

    @Override
    public List<Database> list() {
        if (Permissions.isInstanceAdmin(principal)) {
            return delegate.list();
        }
        Set<String> projects = permissions.visibleProjects(principal);
        return delegate.list().stream().filter(database -> projects.contains(database.projectId())).toList();
    }

    @Override
    public Database get(String id) {
        return require(id, Action.READ);
    }

    @Override
    public Database start(String id) {
        require(id, Action.WRITE);
        return delegate.start(id);
    }

    @Override
    public Database stop(String id) {
        require(id, Action.WRITE);
        return delegate.stop(id);
    }

    @Override
    public Database restart(String id) {
        require(id, Action.WRITE);
        return delegate.restart(id);
    }

    @Override
    public Database upgrade(String id, String version) {
        require(id, Action.WRITE);
        return delegate.upgrade(id, version);
    }

    @Override
    public ResourceSample stats(String id) {
        require(id, Action.READ);
        return delegate.stats(id);
    }

    @Override
    public Optional<Endpoint> publicEndpoint(String id) {
        require(id, Action.READ);
        return delegate.publicEndpoint(id);
    }

    @Override
    public void delete(String id, boolean deleteVolume) {
        require(id, Action.ADMINISTER);
        delegate.delete(id, deleteVolume);
    }

    @Override
    public List<String> logs(String id, int tail) {
        require(id, Action.CONTAINER_LOGS);
        return delegate.logs(id, tail);
    }

    @Override
    public DatabaseHealth health(String id) {
        require(id, Action.READ);
        return delegate.health(id);
    }

    @Override
    public Database setBackupPolicy(String id, BackupPolicy policy) {
        require(id, Action.WRITE);
        return delegate.setBackupPolicy(id, policy);
    }

    @Override
    public BackupDestination createDestination(BackupDestinationSpec spec) {
        requireInstanceAdmin("manage backup destinations");
        return delegate.createDestination(spec);
    }

    @Override
    public List<BackupDestination> destinations() {
        requireInstanceAdmin("see backup destinations");
        return delegate.destinations();
    }

    @Override
    public void deleteDestination(String id) {
        requireInstanceAdmin("manage backup destinations");
        delegate.deleteDestination(id);
    }

    @Override
    public Backup backup(String id, String destinationId) {
        require(id, Action.WRITE);
        return delegate.backup(id, destinationId);
    }

    @Override
    public List<Backup> backups(String id) {
        require(id, Action.READ);
        return delegate.backups(id);
    }

    @Override
    public void restore(String id, String backupId) {
        require(id, Action.WRITE);
        delegate.restore(id, backupId);
    }

    /** The new database is in the same project: developers of it may, like creating one there. */
    @Override
    public Database restoreIntoNew(String id, String backupId, String name) {
        require(id, Action.WRITE);
        return delegate.restoreIntoNew(id, backupId, name);
    }

    @Override
    public DatabaseHealth verify(String id, String backupId) {
        require(id, Action.WRITE);
        return delegate.verify(id, backupId);
    }

    /** The application's developers may link it to a database of the same project (the engine refuses others). */
    @Override
    public DatabaseLink link(String applicationId, String databaseId, String envPrefix) {
        permissions.requireApplication(principal, applicationId, Action.WRITE);
        if (databaseId != null && !databaseId.isBlank()) {
            try {
                require(databaseId, Action.WRITE);
            } catch (PloyerException e) {
                if (e.code() == StandardErrorCode.NOT_FOUND) {
                    throw PloyerException.invalid("database_id", "no database has the id " + databaseId);
                }
                throw e;
            }
        }
        return delegate.link(applicationId, databaseId, envPrefix);
    }

    @Override
    public List<DatabaseLink> links(String applicationId) {
        permissions.requireApplication(principal, applicationId, Action.READ);
        return delegate.links(applicationId);
    }

    @Override
    public void unlink(String applicationId, String databaseId) {
        permissions.requireApplication(principal, applicationId, Action.WRITE);
        delegate.unlink(applicationId, databaseId);
    }

    @Override
    public Optional<BackupPolicy> platformBackupPolicy() {
        requireInstanceAdmin("see platform backups");
        return delegate.platformBackupPolicy();
    }

    @Override
    public BackupPolicy setPlatformBackupPolicy(BackupPolicy policy) {
        requireInstanceAdmin("schedule platform backups");
        return delegate.setPlatformBackupPolicy(policy);
    }

    @Override
    public Backup platformBackup(String destinationId) {
        requireInstanceAdmin("take platform backups");
        return delegate.platformBackup(destinationId);
    }

    @Override
    public List<Backup> platformBackups() {
        requireInstanceAdmin("see platform backups");
        return delegate.platformBackups();
    }
}
