package io.ployer.plugin.sqlite.internal;

import static io.ployer.plugin.sqlite.internal.Database.instant;

import io.ployer.spi.storage.ConfigFileStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** Configuration files of applications. */
final class ConfigFileTable implements ConfigFileStore {
    private static final String COLUMNS = "id, application_id, path, content, size, created_at, updated_at";
    private final Database database;

    ConfigFileTable(Database database) {
        this.database = database;
    }

    @Override
    public void upsert(StoredFile file) {
        database.update("INSERT INTO application_files (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?) ON CONFLICT (application_id, path) "
                        + "DO UPDATE SET content = excluded.content, size = excluded.size, updated_at = excluded.updated_at",
                file.id(), file.applicationId(), file.path(), file.content(), file.size(), file.createdAt(), file.updatedAt());
    }

    @Override
    public List<StoredFile> listByApplication(String applicationId) {
        return database.query("SELECT " + COLUMNS + " FROM application_files WHERE application_id = ? ORDER BY path",
                ConfigFileTable::map, applicationId);
    }

    @Override
    public List<StoredFile> listAll() {
        return database.query("SELECT " + COLUMNS + " FROM application_files ORDER BY application_id, path", ConfigFileTable::map);
    }

    @Override
    public Optional<StoredFile> findById(String id) {
        return database.queryOne("SELECT " + COLUMNS + " FROM application_files WHERE id = ?", ConfigFileTable::map, id);
    }

    @Override
    public boolean delete(String id) {
        return database.update("DELETE FROM application_files WHERE id = ?", id) > 0;
    }

    private static StoredFile map(ResultSet row) throws SQLException {
        return new StoredFile(row.getString("id"), row.getString("application_id"), row.getString("path"), row.getString("content"),
                row.getLong("size"), instant(row, "created_at"), instant(row, "updated_at"));
    }
}
