package io.ployer.plugin.sqlite.internal;

import static io.ployer.plugin.sqlite.internal.Database.bool;
import static io.ployer.plugin.sqlite.internal.Database.doubleValue;
import static io.ployer.plugin.sqlite.internal.Database.instant;
import static io.ployer.plugin.sqlite.internal.Database.longValue;

import io.ployer.api.PloyerException;
import io.ployer.api.application.Application;
import io.ployer.api.application.ApplicationStatus;
import io.ployer.api.application.DeployKey;
import io.ployer.api.application.Domain;
import io.ployer.api.application.EnvVar;
import io.ployer.api.application.KeyAlgorithm;
import io.ployer.api.application.ResourceLimits;
import io.ployer.api.application.RestartPolicy;
import io.ployer.spi.storage.ApplicationStore;
import io.ployer.spi.storage.DeployKeyStore;
import io.ployer.spi.storage.DomainStore;
import io.ployer.spi.storage.EnvVarStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The tables an application owns: itself, its build config, env vars, domains and deploy key. */
final class ApplicationTables {
    private ApplicationTables() {
    }

    static final class Applications implements ApplicationStore {
        private static final String COLUMNS = "id, name, server_id, git_url, branch, build_strategy, port, auto_deploy, "
                + "memory_bytes, cpus, restart_policy, status, created_at, updated_at, memory_reservation_bytes, pids_limit, project_id";
        private final Database database;

        Applications(Database database) {
            this.database = database;
        }

        @Override
        public void insert(Application application) {
            database.transaction(db -> {
                db.update("INSERT INTO applications (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                        application.id(), application.name(), application.serverId(), application.gitUrl(),
                        application.branch(), application.buildStrategy(), application.port(), application.autoDeploy(),
                        application.limits().memoryBytes(), application.limits().cpus(), application.restartPolicy(),
                        application.status(), application.createdAt(), application.updatedAt(),
                        application.limits().memoryReservationBytes(), application.limits().pids(), application.projectId());
                writeBuildConfig(db, application);
                return null;
            });
        }

        @Override
        public void update(Application application) {
            database.transaction(db -> {
                db.updateExisting("application", application.id(), "UPDATE applications SET name = ?, server_id = ?, git_url = ?, branch = ?, "
                                + "build_strategy = ?, port = ?, auto_deploy = ?, memory_bytes = ?, cpus = ?, restart_policy = ?, "
                                + "status = ?, created_at = ?, updated_at = ?, memory_reservation_bytes = ?, pids_limit = ?, project_id = ? WHERE id = ?",
                        application.name(), application.serverId(), application.gitUrl(), application.branch(),
                        application.buildStrategy(), application.port(), application.autoDeploy(),
                        application.limits().memoryBytes(), application.limits().cpus(), application.restartPolicy(),
                        application.status(), application.createdAt(), application.updatedAt(),
                        application.limits().memoryReservationBytes(), application.limits().pids(), application.projectId(), application.id());
                db.update("DELETE FROM application_build_config WHERE application_id = ?", application.id());
                writeBuildConfig(db, application);
                return null;
            });
        }

        private static void writeBuildConfig(Database db, Application application) {
            for (Map.Entry<String, String> entry : application.buildConfig().entrySet()) {
                db.update("INSERT INTO application_build_config (application_id, key, value) VALUES (?,?,?)",
                        application.id(), entry.getKey(), entry.getValue());
            }
        }

        @Override
        public Optional<Application> findById(String id) {
            return database.queryOne("SELECT " + COLUMNS + " FROM applications WHERE id = ?", Applications::map, id)
                    .map(application -> withBuildConfig(database, application));
        }

        @Override
        public Optional<Application> findByName(String name) {
            return database.queryOne("SELECT " + COLUMNS + " FROM applications WHERE name = ?", Applications::map, name)
                    .map(application -> withBuildConfig(database, application));
        }

        @Override
        public List<Application> list() {
            List<Application> applications = database.query("SELECT " + COLUMNS + " FROM applications ORDER BY name", Applications::map);
            // One query for every build config rather than one per application.
            Map<String, Map<String, String>> configs = new java.util.HashMap<>();
            database.query("SELECT application_id, key, value FROM application_build_config ORDER BY application_id, key",
                    row -> configs.computeIfAbsent(row.getString("application_id"), id -> new LinkedHashMap<>())
                            .put(row.getString("key"), row.getString("value")));
            return applications.stream().map(application -> withConfig(application,
                    configs.getOrDefault(application.id(), Map.of()))).toList();
        }

        @Override
        public List<Application> list(int offset, int limit) {
            if (offset < 0 || limit < 0) {
                throw new IllegalArgumentException("offset and limit must be >= 0");
            }
            // The page in SQL, and the build configs of that page only (one query, not one per application).
            List<Application> applications = database.query("SELECT " + COLUMNS + " FROM applications ORDER BY name LIMIT ? OFFSET ?",
                    Applications::map, limit, offset);
            if (applications.isEmpty()) {
                return List.of();
            }
            Map<String, Map<String, String>> configs = new java.util.HashMap<>();
            database.query("SELECT application_id, key, value FROM application_build_config WHERE application_id IN ("
                            + String.join(",", java.util.Collections.nCopies(applications.size(), "?")) + ") ORDER BY application_id, key",
                    row -> configs.computeIfAbsent(row.getString("application_id"), id -> new LinkedHashMap<>())
                            .put(row.getString("key"), row.getString("value")),
                    applications.stream().map(Application::id).toArray());
            return applications.stream().map(application -> withConfig(application,
                    configs.getOrDefault(application.id(), Map.of()))).toList();
        }

        @Override
        public long count() {
            return database.count("SELECT COUNT(*) FROM applications");
        }

        @Override
        public boolean delete(String id) {
            return database.update("DELETE FROM applications WHERE id = ?", id) > 0;
        }

        private static Application map(ResultSet row) throws SQLException {
            String id = row.getString("id");
            Long memory = longValue(row, "memory_bytes");
            Double cpus = doubleValue(row, "cpus");
            return new Application(id, row.getString("name"), row.getString("server_id"),
                    row.getString("git_url"), row.getString("branch"), row.getString("build_strategy"), Map.of(),
                    row.getInt("port"), bool(row, "auto_deploy"), new ResourceLimits(memory, cpus, longValue(row, "memory_reservation_bytes"), longValue(row, "pids_limit")),
                    RestartPolicy.valueOf(row.getString("restart_policy")), ApplicationStatus.valueOf(row.getString("status")),
                    instant(row, "created_at"), instant(row, "updated_at"), row.getString("project_id"));
        }
    }

    /** Fills in build configs after the application rows were read (a second query, not nested in the first). */
    static Application withBuildConfig(Database db, Application application) {
        Map<String, String> config = new LinkedHashMap<>();
        db.query("SELECT key, value FROM application_build_config WHERE application_id = ? ORDER BY key",
                row -> config.put(row.getString("key"), row.getString("value")), application.id());
        return withConfig(application, config);
    }

    private static Application withConfig(Application application, Map<String, String> config) {
        return new Application(application.id(), application.name(), application.serverId(), application.gitUrl(),
                application.branch(), application.buildStrategy(), config, application.port(), application.autoDeploy(),
                application.limits(), application.restartPolicy(), application.status(), application.createdAt(),
                application.updatedAt(), application.projectId());
    }

    static final class EnvVars implements EnvVarStore {
        private static final String COLUMNS = "id, application_id, key, value, build_time, created_at, updated_at";
        private final Database database;

        EnvVars(Database database) {
            this.database = database;
        }

        @Override
        public List<EnvVar> listByApplication(String applicationId) {
            return database.query("SELECT " + COLUMNS + " FROM environment_variables WHERE application_id = ? ORDER BY key",
                    EnvVars::map, applicationId);
        }

        @Override
        public Optional<EnvVar> find(String applicationId, String key) {
            return database.queryOne("SELECT " + COLUMNS + " FROM environment_variables WHERE application_id = ? AND key = ?",
                    EnvVars::map, applicationId, key);
        }

        @Override
        public void upsert(EnvVar envVar) {
            database.update("INSERT INTO environment_variables (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?) "
                            + "ON CONFLICT (application_id, key) DO UPDATE SET value = excluded.value, "
                            + "build_time = excluded.build_time, updated_at = excluded.updated_at",
                    envVar.id(), envVar.applicationId(), envVar.key(), envVar.value(), envVar.buildTime(),
                    envVar.createdAt(), envVar.updatedAt());
        }

        @Override
        public boolean delete(String applicationId, String key) {
            return database.update("DELETE FROM environment_variables WHERE application_id = ? AND key = ?", applicationId, key) > 0;
        }

        @Override
        public List<EnvVar> listAll() {
            return database.query("SELECT " + COLUMNS + " FROM environment_variables ORDER BY application_id, key", EnvVars::map);
        }

        private static EnvVar map(ResultSet row) throws SQLException {
            return new EnvVar(row.getString("id"), row.getString("application_id"), row.getString("key"),
                    row.getString("value"), bool(row, "build_time"), instant(row, "created_at"), instant(row, "updated_at"));
        }
    }

    static final class Domains implements DomainStore {
        private static final String COLUMNS = "id, application_id, hostname, is_primary, is_auto, verified, created_at, service, port";
        private final Database database;

        Domains(Database database) {
            this.database = database;
        }

        @Override
        public List<Domain> listByApplication(String applicationId) {
            return database.query("SELECT " + COLUMNS + " FROM domains WHERE application_id = ? ORDER BY is_primary DESC, hostname",
                    Domains::map, applicationId);
        }

        @Override
        public Optional<Domain> findByHostname(String hostname) {
            return database.queryOne("SELECT " + COLUMNS + " FROM domains WHERE hostname = ?", Domains::map, hostname);
        }

        @Override
        public void insert(Domain domain) {
            database.update("INSERT INTO domains (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?)", domain.id(), domain.applicationId(),
                    domain.hostname(), domain.primary(), domain.auto(), domain.verified(), domain.createdAt(), domain.service(),
                    domain.port());
        }

        @Override
        public void update(Domain domain) {
            database.updateExisting("domain", domain.hostname(), "UPDATE domains SET application_id = ?, hostname = ?, is_primary = ?, is_auto = ?, "
                            + "verified = ?, created_at = ?, service = ?, port = ? WHERE id = ?", domain.applicationId(), domain.hostname(),
                    domain.primary(), domain.auto(), domain.verified(), domain.createdAt(), domain.service(), domain.port(), domain.id());
        }

        @Override
        public boolean delete(String applicationId, String hostname) {
            return database.update("DELETE FROM domains WHERE application_id = ? AND hostname = ?", applicationId, hostname) > 0;
        }

        @Override
        public List<Domain> listAll() {
            return database.query("SELECT " + COLUMNS + " FROM domains ORDER BY hostname", Domains::map);
        }

        private static Domain map(ResultSet row) throws SQLException {
            return new Domain(row.getString("id"), row.getString("application_id"), row.getString("hostname"),
                    bool(row, "is_primary"), bool(row, "is_auto"), bool(row, "verified"), instant(row, "created_at"),
                    row.getString("service"), row.getObject("port") == null ? null : row.getInt("port"));
        }
    }

    static final class DeployKeys implements DeployKeyStore {
        private static final String COLUMNS = "application_id, algorithm, public_key, private_key, fingerprint, created_at";
        private final Database database;

        DeployKeys(Database database) {
            this.database = database;
        }

        @Override
        public Optional<DeployKey> find(String applicationId) {
            return database.queryOne("SELECT " + COLUMNS + " FROM deploy_keys WHERE application_id = ?", DeployKeys::map, applicationId);
        }

        @Override
        public void upsert(DeployKey key) {
            database.update("INSERT INTO deploy_keys (" + COLUMNS + ") VALUES (?,?,?,?,?,?) ON CONFLICT (application_id) DO UPDATE SET "
                            + "algorithm = excluded.algorithm, public_key = excluded.public_key, private_key = excluded.private_key, "
                            + "fingerprint = excluded.fingerprint, created_at = excluded.created_at",
                    key.applicationId(), key.algorithm(), key.publicKey(), key.privateKey(), key.fingerprint(), key.createdAt());
        }

        @Override
        public boolean delete(String applicationId) {
            return database.update("DELETE FROM deploy_keys WHERE application_id = ?", applicationId) > 0;
        }

        @Override
        public List<DeployKey> listAll() {
            return database.query("SELECT " + COLUMNS + " FROM deploy_keys ORDER BY application_id", DeployKeys::map);
        }

        private static DeployKey map(ResultSet row) throws SQLException {
            return new DeployKey(row.getString("application_id"), KeyAlgorithm.valueOf(row.getString("algorithm")),
                    row.getString("public_key"), row.getString("private_key"), row.getString("fingerprint"),
                    instant(row, "created_at"));
        }
    }
}
