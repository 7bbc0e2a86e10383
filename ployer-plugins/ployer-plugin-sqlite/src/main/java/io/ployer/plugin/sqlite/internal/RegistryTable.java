package io.ployer.plugin.sqlite.internal;

import static io.ployer.plugin.sqlite.internal.Database.instant;

import io.ployer.spi.storage.RegistryStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** Image registries. */
final class RegistryTable implements RegistryStore {
    private static final String COLUMNS = "id, url, username, password, created_at, updated_at";
    private final Database database;

    RegistryTable(Database database) {
        this.database = database;
    }

    @Override
    public void insert(StoredRegistry registry) {
        database.update("INSERT INTO registries (" + COLUMNS + ") VALUES (?,?,?,?,?,?)", registry.id(), registry.url(),
                registry.username(), registry.password(), registry.createdAt(), registry.updatedAt());
    }

    @Override
    public void update(StoredRegistry registry) {
        database.update("UPDATE registries SET url = ?, username = ?, password = ?, updated_at = ? WHERE id = ?", registry.url(),
                registry.username(), registry.password(), registry.updatedAt(), registry.id());
    }

    @Override
    public Optional<StoredRegistry> findById(String id) {
        return database.queryOne("SELECT " + COLUMNS + " FROM registries WHERE id = ?", RegistryTable::map, id);
    }

    @Override
    public Optional<StoredRegistry> findByUrl(String url) {
        return database.queryOne("SELECT " + COLUMNS + " FROM registries WHERE url = ?", RegistryTable::map, url);
    }

    @Override
    public List<StoredRegistry> list() {
        return database.query("SELECT " + COLUMNS + " FROM registries ORDER BY url", RegistryTable::map);
    }

    @Override
    public boolean delete(String id) {
        return database.update("DELETE FROM registries WHERE id = ?", id) > 0;
    }

    @Override
    public Optional<io.ployer.api.registry.PushTarget> findPushTarget(String applicationId) {
        return database.queryOne("SELECT application_id, registry_id, repository FROM application_push_targets WHERE application_id = ?",
                row -> new io.ployer.api.registry.PushTarget(row.getString("application_id"), row.getString("registry_id"),
                        row.getString("repository")), applicationId);
    }

    @Override
    public List<String> applicationsPushingTo(String registryId) {
        return database.query("SELECT application_id FROM application_push_targets WHERE registry_id = ? ORDER BY application_id",
                row -> row.getString("application_id"), registryId);
    }

    @Override
    public void putPushTarget(io.ployer.api.registry.PushTarget target) {
        database.update("INSERT INTO application_push_targets (application_id, registry_id, repository) VALUES (?,?,?) "
                + "ON CONFLICT (application_id) DO UPDATE SET registry_id = excluded.registry_id, repository = excluded.repository",
                target.applicationId(), target.registryId(), target.repository());
    }

    @Override
    public boolean deletePushTarget(String applicationId) {
        return database.update("DELETE FROM application_push_targets WHERE application_id = ?", applicationId) > 0;
    }

    private static StoredRegistry map(ResultSet row) throws SQLException {
        return new StoredRegistry(row.getString("id"), row.getString("url"), row.getString("username"), row.getString("password"),
                instant(row, "created_at"), instant(row, "updated_at"));
    }
}
