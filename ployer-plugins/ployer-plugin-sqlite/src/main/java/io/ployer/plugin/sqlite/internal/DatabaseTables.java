package io.ployer.plugin.sqlite.internal;

import static io.ployer.plugin.sqlite.internal.Database.bool;
import static io.ployer.plugin.sqlite.internal.Database.doubleValue;
import static io.ployer.plugin.sqlite.internal.Database.instant;
import static io.ployer.plugin.sqlite.internal.Database.longValue;

import io.ployer.api.application.ResourceLimits;
import io.ployer.api.database.Backup;
import io.ployer.api.database.BackupDestination;
import io.ployer.api.database.BackupPolicy;
import io.ployer.api.database.DatabaseEngine;
import io.ployer.api.database.DatabaseStatus;
import io.ployer.spi.storage.DatabaseStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** Databases, backup destinations, backups and links (migrations V9 and V14). */
final class DatabaseTables implements DatabaseStore {
    private static final String DATABASE_COLUMNS = "id, name, engine, version, image, username, database_name, port, public_port,"
            + " memory_bytes, cpus, status, password_ciphertext, container_id, backup_schedule, backup_keep, backup_destination,"
            + " created_at, project_id, public_host";
    private static final String DESTINATION_COLUMNS = "id, name, kind, path, endpoint, bucket, region, path_style, access_key,"
            + " secret_key_ciphertext, created_at";
    private static final String BACKUP_COLUMNS = "id, database_id, destination_id, status, location, size_bytes, sha256, reason,"
            + " started_at, finished_at";
    private static final String PLATFORM_COLUMNS = "id, destination_id, status, location, size_bytes, sha256, reason,"
            + " started_at, finished_at";
    private final Database database;

    DatabaseTables(Database database) {
        this.database = database;
    }

    @Override
    public void insert(StoredDatabase stored) {
        database.update("INSERT INTO databases (" + DATABASE_COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                databaseValues(stored, true));
    }

    @Override
    public void update(StoredDatabase stored) {
        Object[] values = databaseValues(stored, false);
        database.update("UPDATE databases SET name = ?, engine = ?, version = ?, image = ?, username = ?, database_name = ?,"
                + " port = ?, public_port = ?, memory_bytes = ?, cpus = ?, status = ?, password_ciphertext = ?, container_id = ?,"
                + " backup_schedule = ?, backup_keep = ?, backup_destination = ?, created_at = ?, project_id = ?, public_host = ?"
                + " WHERE id = ?", values);
    }

    private static Object[] databaseValues(StoredDatabase stored, boolean idFirst) {
        var db = stored.database();
        BackupPolicy backup = db.backup();
        Object[] rest = {db.name(), db.engine(), db.version(), db.image(), db.username(), db.databaseName(), db.port(),
                db.publicPort(), db.limits().memoryBytes(), db.limits().cpus(), db.status(), stored.passwordCiphertext(),
                stored.containerId(), backup == null ? null : backup.schedule(), backup == null ? null : backup.keep(),
                backup == null ? null : backup.destinationId(), db.createdAt(), db.projectId(), db.publicHost()};
        Object[] values = new Object[rest.length + 1];
        if (idFirst) {
            values[0] = db.id();
            System.arraycopy(rest, 0, values, 1, rest.length);
        } else {
            System.arraycopy(rest, 0, values, 0, rest.length);
            values[rest.length] = db.id();
        }
        return values;
    }

    @Override
    public Optional<StoredDatabase> findById(String id) {
        return database.queryOne("SELECT " + DATABASE_COLUMNS + " FROM databases WHERE id = ?", DatabaseTables::mapDatabase, id);
    }

    @Override
    public List<StoredDatabase> listAll() {
        return database.query("SELECT " + DATABASE_COLUMNS + " FROM databases ORDER BY name", DatabaseTables::mapDatabase);
    }

    @Override
    public boolean delete(String id) {
        return database.update("DELETE FROM databases WHERE id = ?", id) > 0;
    }

    private static StoredDatabase mapDatabase(ResultSet row) throws SQLException {
        String destination = row.getString("backup_destination");
        BackupPolicy backup = destination == null ? null
                : new BackupPolicy(row.getString("backup_schedule"), row.getInt("backup_keep"), destination);
        var db = new io.ployer.api.database.Database(row.getString("id"), row.getString("name"),
                DatabaseEngine.valueOf(row.getString("engine")), row.getString("version"), row.getString("image"),
                row.getString("username"), row.getString("database_name"), row.getInt("port"), bool(row, "public_port"),
                new ResourceLimits(longValue(row, "memory_bytes"), doubleValue(row, "cpus")),
                DatabaseStatus.valueOf(row.getString("status")), backup, instant(row, "created_at"), row.getString("project_id"),
                row.getString("public_host"));
        return new StoredDatabase(db, row.getString("password_ciphertext"), row.getString("container_id"));
    }

    @Override
    public void insertDestination(StoredDestination stored) {
        BackupDestination d = stored.destination();
        database.update("INSERT INTO backup_destinations (" + DESTINATION_COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?)", d.id(),
                d.name(), d.kind(), d.path(), d.endpoint(), d.bucket(), d.region(), d.pathStyle(), d.accessKey(),
                stored.secretKeyCiphertext(), d.createdAt());
    }

    @Override
    public Optional<StoredDestination> findDestination(String id) {
        return database.queryOne("SELECT " + DESTINATION_COLUMNS + " FROM backup_destinations WHERE id = ?",
                DatabaseTables::mapDestination, id);
    }

    @Override
    public List<StoredDestination> listDestinations() {
        return database.query("SELECT " + DESTINATION_COLUMNS + " FROM backup_destinations ORDER BY name",
                DatabaseTables::mapDestination);
    }

    @Override
    public boolean deleteDestination(String id) {
        return database.update("DELETE FROM backup_destinations WHERE id = ?", id) > 0;
    }

    @Override
    public void updateDestinationSecret(String id, String secretKeyCiphertext) {
        database.update("UPDATE backup_destinations SET secret_key_ciphertext = ? WHERE id = ?", secretKeyCiphertext, id);
    }

    private static StoredDestination mapDestination(ResultSet row) throws SQLException {
        return new StoredDestination(new BackupDestination(row.getString("id"), row.getString("name"),
                BackupDestination.Kind.valueOf(row.getString("kind")), row.getString("path"), row.getString("endpoint"),
                row.getString("bucket"), row.getString("region"), bool(row, "path_style"), row.getString("access_key"),
                instant(row, "created_at")), row.getString("secret_key_ciphertext"));
    }

    @Override
    public void insertBackup(Backup b) {
        database.update("INSERT INTO database_backups (" + BACKUP_COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?)", b.id(),
                b.databaseId(), b.destinationId(), b.status(), b.location(), b.sizeBytes(), b.sha256(), b.reason(),
                b.startedAt(), b.finishedAt());
    }

    @Override
    public void updateBackup(Backup b) {
        database.update("UPDATE database_backups SET status = ?, location = ?, size_bytes = ?, sha256 = ?, reason = ?,"
                + " finished_at = ? WHERE id = ?", b.status(), b.location(), b.sizeBytes(), b.sha256(), b.reason(),
                b.finishedAt(), b.id());
    }

    @Override
    public Optional<Backup> findBackup(String id) {
        return database.queryOne("SELECT " + BACKUP_COLUMNS + " FROM database_backups WHERE id = ?", DatabaseTables::mapBackup, id);
    }

    @Override
    public List<Backup> listBackups(String databaseId) {
        return database.query("SELECT " + BACKUP_COLUMNS + " FROM database_backups WHERE database_id = ?"
                + " ORDER BY started_at DESC, rowid DESC", DatabaseTables::mapBackup, databaseId);
    }

    private static Backup mapBackup(ResultSet row) throws SQLException {
        return new Backup(row.getString("id"), row.getString("database_id"), row.getString("destination_id"),
                Backup.Status.valueOf(row.getString("status")), row.getString("location"), row.getLong("size_bytes"),
                row.getString("sha256"), row.getString("reason"), instant(row, "started_at"), instant(row, "finished_at"));
    }

    @Override
    public void insertPlatformBackup(Backup b) {
        database.update("INSERT INTO platform_backups (" + PLATFORM_COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?)", b.id(),
                b.destinationId(), b.status(), b.location(), b.sizeBytes(), b.sha256(), b.reason(), b.startedAt(), b.finishedAt());
    }

    @Override
    public void updatePlatformBackup(Backup b) {
        database.update("UPDATE platform_backups SET status = ?, location = ?, size_bytes = ?, sha256 = ?, reason = ?,"
                + " finished_at = ? WHERE id = ?", b.status(), b.location(), b.sizeBytes(), b.sha256(), b.reason(),
                b.finishedAt(), b.id());
    }

    @Override
    public List<Backup> listPlatformBackups() {
        return database.query("SELECT " + PLATFORM_COLUMNS + " FROM platform_backups ORDER BY started_at DESC, rowid DESC",
                row -> new Backup(row.getString("id"), Backup.PLATFORM, row.getString("destination_id"),
                        Backup.Status.valueOf(row.getString("status")), row.getString("location"), row.getLong("size_bytes"),
                        row.getString("sha256"), row.getString("reason"), instant(row, "started_at"), instant(row, "finished_at")));
    }

    @Override
    public void insertLink(StoredLink link) {
        database.update("INSERT INTO database_links (application_id, database_id, env_prefix, created_at) VALUES (?,?,?,?)",
                link.applicationId(), link.databaseId(), link.envPrefix(), link.createdAt());
    }

    @Override
    public List<StoredLink> listLinks(String applicationId) {
        return database.query("SELECT application_id, database_id, env_prefix, created_at FROM database_links"
                + " WHERE application_id = ? ORDER BY env_prefix", DatabaseTables::mapLink, applicationId);
    }

    @Override
    public List<StoredLink> listLinksOfDatabase(String databaseId) {
        return database.query("SELECT application_id, database_id, env_prefix, created_at FROM database_links"
                + " WHERE database_id = ? ORDER BY application_id", DatabaseTables::mapLink, databaseId);
    }

    @Override
    public boolean deleteLink(String applicationId, String databaseId) {
        return database.update("DELETE FROM database_links WHERE application_id = ? AND database_id = ?", applicationId,
                databaseId) > 0;
    }

    private static StoredLink mapLink(ResultSet row) throws SQLException {
        return new StoredLink(row.getString("application_id"), row.getString("database_id"), row.getString("env_prefix"),
                instant(row, "created_at"));
    }
}
