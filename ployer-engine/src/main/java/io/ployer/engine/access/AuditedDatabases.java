package io.ployer.engine.access;

import io.ployer.api.account.AccountService.Principal;
import io.ployer.api.container.ContainerRequest;
import io.ployer.api.container.ContainerService;
import io.ployer.api.server.Server;
import io.ployer.api.server.ServerCheck;
import io.ployer.api.server.ServerResources;
import io.ployer.api.server.ServerService;
import io.ployer.api.server.ServerSpec;
import io.ployer.api.container.ContainerInfo;
import io.ployer.api.container.NetworkInfo;
import io.ployer.api.container.ResourceSample;
import io.ployer.api.container.VolumeInfo;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** The audited view of the databases service: every write recorded with who, from where and what. */
final class AuditedDatabases {
    private AuditedDatabases() {
    }

    static io.ployer.api.database.DatabaseService databases(io.ployer.api.database.DatabaseService delegate, AuditTrail audit,
                                                          Principal principal, String clientAddress) {
        return new io.ployer.api.database.DatabaseService() {
            private void record(String action, String type, String id, Map<String, String> change) {
                audit.record(principal, clientAddress, action, type, id, null, change);
            }

            @Override
            public io.ployer.api.database.Database create(io.ployer.api.database.DatabaseSpec spec) {
                io.ployer.api.database.Database created = delegate.create(spec);
                record("database.created", "database", created.id(), AuditTrail.change("name", created.name(), "engine", created.engine(),
                        "version", created.version(), "password", AuditTrail.MASK));
                return created;
            }

            @Override
            public List<io.ployer.api.database.Database> list() {
                return delegate.list();
            }

            @Override
            public io.ployer.api.database.Database get(String id) {
                return delegate.get(id);
            }

            @Override
            public io.ployer.api.database.Database start(String id) {
                io.ployer.api.database.Database started = delegate.start(id);
                record("database.started", "database", id, Map.of());
                return started;
            }

            @Override
            public io.ployer.api.database.Database stop(String id) {
                io.ployer.api.database.Database stopped = delegate.stop(id);
                record("database.stopped", "database", id, Map.of());
                return stopped;
            }

            @Override
            public io.ployer.api.database.Database restart(String id) {
                io.ployer.api.database.Database restarted = delegate.restart(id);
                record("database.restarted", "database", id, Map.of());
                return restarted;
            }

            @Override
            public void delete(String id, boolean deleteVolume) {
                delegate.delete(id, deleteVolume);
                record("database.deleted", "database", id, AuditTrail.change("delete_volume", deleteVolume));
            }

            @Override
            public List<String> logs(String id, int tail) {
                return delegate.logs(id, tail);
            }

            @Override
            public io.ployer.api.database.DatabaseHealth health(String id) {
                return delegate.health(id);
            }

            @Override
            public io.ployer.api.database.Database setBackupPolicy(String id, io.ployer.api.database.BackupPolicy policy) {
                io.ployer.api.database.Database changed = delegate.setBackupPolicy(id, policy);
                record(policy == null ? "database.backup-policy-cleared" : "database.backup-policy-set", "database", id, policy == null
                        ? Map.of() : AuditTrail.change("schedule", policy.schedule(), "keep", policy.keep(), "destination_id", policy.destinationId()));
                return changed;
            }

            @Override
            public io.ployer.api.database.BackupDestination createDestination(io.ployer.api.database.BackupDestinationSpec spec) {
                io.ployer.api.database.BackupDestination created = delegate.createDestination(spec);
                record("backup-destination.created", "backup-destination", created.id(), AuditTrail.change("name", created.name(),
                        "kind", created.kind(), "path", created.path(), "endpoint", created.endpoint(), "bucket", created.bucket(),
                        "secret_key", AuditTrail.MASK));
                return created;
            }

            @Override
            public List<io.ployer.api.database.BackupDestination> destinations() {
                return delegate.destinations();
            }

            @Override
            public void deleteDestination(String id) {
                delegate.deleteDestination(id);
                record("backup-destination.deleted", "backup-destination", id, Map.of());
            }

            @Override
            public io.ployer.api.database.Backup backup(String id, String destinationId) {
                io.ployer.api.database.Backup backup = delegate.backup(id, destinationId);
                record("database.backup", "database", id, AuditTrail.change("backup_id", backup.id(), "destination_id", destinationId,
                        "status", backup.status()));
                return backup;
            }

            @Override
            public List<io.ployer.api.database.Backup> backups(String id) {
                return delegate.backups(id);
            }

            @Override
            public void restore(String id, String backupId) {
                delegate.restore(id, backupId);
                record("database.restored", "database", id, AuditTrail.change("backup_id", backupId));
            }

            @Override
            public io.ployer.api.database.Database restoreIntoNew(String id, String backupId, String name) {
                io.ployer.api.database.Database created = delegate.restoreIntoNew(id, backupId, name);
                record("database.restored-into-new", "database", created.id(), AuditTrail.change("source_database_id", id,
                        "backup_id", backupId, "name", name));
                return created;
            }

            @Override
            public io.ployer.api.database.DatabaseHealth verify(String id, String backupId) {
                io.ployer.api.database.DatabaseHealth health = delegate.verify(id, backupId);
                record("database.backup-verified", "database", id, AuditTrail.change("backup_id", backupId));
                return health;
            }

            @Override
            public io.ployer.api.database.DatabaseLink link(String applicationId, String databaseId, String envPrefix) {
                io.ployer.api.database.DatabaseLink link = delegate.link(applicationId, databaseId, envPrefix);
                record("database.linked", "application", applicationId, AuditTrail.change("database_id", databaseId, "env_prefix", envPrefix));
                return link;
            }

            @Override
            public List<io.ployer.api.database.DatabaseLink> links(String applicationId) {
                return delegate.links(applicationId);
            }

            @Override
            public void unlink(String applicationId, String databaseId) {
                delegate.unlink(applicationId, databaseId);
                record("database.unlinked", "application", applicationId, AuditTrail.change("database_id", databaseId));
            }

            @Override
            public io.ployer.api.database.Database upgrade(String id, String version) {
                io.ployer.api.database.Database upgraded = delegate.upgrade(id, version);
                record("database.upgraded", "database", id, AuditTrail.change("version", version));
                return upgraded;
            }

            @Override
            public io.ployer.api.container.ResourceSample stats(String id) {
                return delegate.stats(id);
            }

            @Override
            public Optional<io.ployer.api.container.Endpoint> publicEndpoint(String id) {
                return delegate.publicEndpoint(id);
            }

            @Override
            public Optional<io.ployer.api.database.BackupPolicy> platformBackupPolicy() {
                return delegate.platformBackupPolicy();
            }

            @Override
            public io.ployer.api.database.BackupPolicy setPlatformBackupPolicy(io.ployer.api.database.BackupPolicy policy) {
                io.ployer.api.database.BackupPolicy set = delegate.setPlatformBackupPolicy(policy);
                record(policy == null ? "platform-backup-policy.cleared" : "platform-backup-policy.set", "platform", "backup",
                        Map.of());
                return set;
            }

            @Override
            public io.ployer.api.database.Backup platformBackup(String destinationId) {
                io.ployer.api.database.Backup backup = delegate.platformBackup(destinationId);
                record("platform.backup", "platform", "backup", AuditTrail.change("backup_id", backup.id(),
                        "destination_id", destinationId));
                return backup;
            }

            @Override
            public List<io.ployer.api.database.Backup> platformBackups() {
                return delegate.platformBackups();
            }
        };
    }
}
