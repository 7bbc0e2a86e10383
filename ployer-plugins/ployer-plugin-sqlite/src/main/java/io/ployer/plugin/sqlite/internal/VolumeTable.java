package io.ployer.plugin.sqlite.internal;

import static io.ployer.plugin.sqlite.internal.Database.bool;
import static io.ployer.plugin.sqlite.internal.Database.instant;

import io.ployer.api.application.Volume;
import io.ployer.spi.storage.VolumeStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** Volumes of applications. */
final class VolumeTable implements VolumeStore {
    private static final String COLUMNS = "id, application_id, name, kind, source, container_path, read_only, exclusive, created_at";
    private final Database database;

    VolumeTable(Database database) {
        this.database = database;
    }

    @Override
    public void insert(Volume volume) {
        database.update("INSERT INTO application_volumes (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?)", volume.id(),
                volume.applicationId(), volume.name(), volume.kind(), volume.source(), volume.containerPath(),
                volume.readOnly(), volume.exclusive(), volume.createdAt());
    }

    @Override
    public Optional<Volume> findById(String id) {
        return database.queryOne("SELECT " + COLUMNS + " FROM application_volumes WHERE id = ?", VolumeTable::map, id);
    }

    @Override
    public List<Volume> listByApplication(String applicationId) {
        return database.query("SELECT " + COLUMNS + " FROM application_volumes WHERE application_id = ? ORDER BY name",
                VolumeTable::map, applicationId);
    }

    @Override
    public List<Volume> listAll() {
        return database.query("SELECT " + COLUMNS + " FROM application_volumes ORDER BY application_id, name", VolumeTable::map);
    }

    @Override
    public boolean delete(String id) {
        return database.update("DELETE FROM application_volumes WHERE id = ?", id) > 0;
    }

    private static Volume map(ResultSet row) throws SQLException {
        return new Volume(row.getString("id"), row.getString("application_id"), row.getString("name"),
                Volume.Kind.valueOf(row.getString("kind")), row.getString("source"), row.getString("container_path"),
                bool(row, "read_only"), bool(row, "exclusive"), instant(row, "created_at"));
    }
}
