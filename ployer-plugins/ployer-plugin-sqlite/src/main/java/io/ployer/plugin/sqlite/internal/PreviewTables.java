package io.ployer.plugin.sqlite.internal;

import io.ployer.api.application.EnvVar;
import io.ployer.api.preview.Preview;
import io.ployer.api.preview.PreviewSettings;
import io.ployer.api.preview.PreviewStatus;
import io.ployer.spi.storage.PreviewStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** Previews, preview settings and preview env values. */
final class PreviewTables implements PreviewStore {
    private static final String COLUMNS = "id, application_id, preview_application_id, provider, number, title, head_branch, head_sha, "
            + "fork, forge_repository, forge_api_url, url, status, deployment_id, status_report, created_at, last_activity_at";
    private final Database database;

    PreviewTables(Database database) {
        this.database = database;
    }

    @Override
    public Optional<PreviewSettings> settings(String applicationId) {
        return database.queryOne("SELECT * FROM preview_settings WHERE application_id = ?", row -> new PreviewSettings(
                row.getString("application_id"), Database.bool(row, "enabled"), row.getString("domain_pattern"),
                row.getInt("max_previews"), row.getInt("expire_days"), Database.bool(row, "allow_forks"),
                row.getString("status_api_url")), applicationId);
    }

    @Override
    public void putSettings(PreviewSettings settings) {
        database.update("INSERT INTO preview_settings (application_id, enabled, domain_pattern, max_previews, expire_days, allow_forks, "
                        + "status_api_url) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (application_id) DO UPDATE SET enabled = excluded.enabled, "
                        + "domain_pattern = excluded.domain_pattern, max_previews = excluded.max_previews, expire_days = excluded.expire_days, "
                        + "allow_forks = excluded.allow_forks, status_api_url = excluded.status_api_url",
                settings.applicationId(), settings.enabled(), settings.domainPattern(), settings.maxPreviews(), settings.expireDays(),
                settings.allowForks(), settings.statusApiUrl());
    }

    @Override
    public List<EnvVar> envVars(String applicationId) {
        return database.query("SELECT * FROM preview_env_vars WHERE application_id = ? ORDER BY key", PreviewTables::envVar, applicationId);
    }

    @Override
    public Optional<EnvVar> findEnvVar(String applicationId, String key) {
        return database.queryOne("SELECT * FROM preview_env_vars WHERE application_id = ? AND key = ?", PreviewTables::envVar,
                applicationId, key);
    }

    @Override
    public void upsertEnvVar(EnvVar envVar) {
        database.update("INSERT INTO preview_env_vars (id, application_id, key, value, build_time, created_at, updated_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (application_id, key) DO UPDATE SET value = excluded.value, "
                        + "build_time = excluded.build_time, updated_at = excluded.updated_at",
                envVar.id(), envVar.applicationId(), envVar.key(), envVar.value(), envVar.buildTime(), envVar.createdAt(),
                envVar.updatedAt());
    }

    @Override
    public boolean deleteEnvVar(String applicationId, String key) {
        return database.update("DELETE FROM preview_env_vars WHERE application_id = ? AND key = ?", applicationId, key) > 0;
    }

    @Override
    public void insert(Preview preview) {
        database.update("INSERT INTO previews (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", values(preview));
    }

    @Override
    public void update(Preview preview) {
        database.updateExisting("preview", preview.id(), "UPDATE previews SET title = ?, head_sha = ?, url = ?, status = ?, "
                        + "deployment_id = ?, status_report = ?, last_activity_at = ? WHERE id = ?",
                preview.title(), preview.headSha(), preview.url(), preview.status(), preview.deploymentId(), preview.statusReport(),
                preview.lastActivityAt(), preview.id());
    }

    @Override
    public Optional<Preview> find(String applicationId, int number) {
        return database.queryOne("SELECT " + COLUMNS + " FROM previews WHERE application_id = ? AND number = ?", PreviewTables::preview,
                applicationId, number);
    }

    @Override
    public Optional<Preview> findByDeployment(String deploymentId) {
        return database.queryOne("SELECT " + COLUMNS + " FROM previews WHERE deployment_id = ?", PreviewTables::preview, deploymentId);
    }

    @Override
    public List<Preview> listByApplication(String applicationId) {
        return database.query("SELECT " + COLUMNS + " FROM previews WHERE application_id = ? ORDER BY number", PreviewTables::preview,
                applicationId);
    }

    @Override
    public List<Preview> listAll() {
        return database.query("SELECT " + COLUMNS + " FROM previews ORDER BY last_activity_at, id", PreviewTables::preview);
    }

    @Override
    public boolean delete(String id) {
        return database.update("DELETE FROM previews WHERE id = ?", id) > 0;
    }

    private static Object[] values(Preview preview) {
        return new Object[] {preview.id(), preview.applicationId(), preview.previewApplicationId(), preview.provider(), preview.number(),
                preview.title(), preview.headBranch(), preview.headSha(), preview.fork(), preview.forgeRepository(), preview.forgeApiUrl(), preview.url(), preview.status(),
                preview.deploymentId(), preview.statusReport(), preview.createdAt(), preview.lastActivityAt()};
    }

    private static Preview preview(ResultSet row) throws SQLException {
        return new Preview(row.getString("id"), row.getString("application_id"), row.getString("preview_application_id"),
                row.getString("provider"), row.getInt("number"), row.getString("title"), row.getString("head_branch"),
                row.getString("head_sha"), Database.bool(row, "fork"), row.getString("forge_repository"),
                row.getString("forge_api_url"), row.getString("url"), PreviewStatus.valueOf(row.getString("status")),
                row.getString("deployment_id"), row.getString("status_report"), Database.instant(row, "created_at"),
                Database.instant(row, "last_activity_at"));
    }

    private static EnvVar envVar(ResultSet row) throws SQLException {
        return new EnvVar(row.getString("id"), row.getString("application_id"), row.getString("key"), row.getString("value"),
                Database.bool(row, "build_time"), Database.instant(row, "created_at"), Database.instant(row, "updated_at"));
    }
}
