package io.ployer.plugin.sqlite.internal;

import static io.ployer.plugin.sqlite.internal.Database.bool;
import static io.ployer.plugin.sqlite.internal.Database.instant;
import static io.ployer.plugin.sqlite.internal.Database.integer;

import io.ployer.api.health.ContainerStats;
import io.ployer.api.health.HealthCheck;
import io.ployer.api.health.HealthCheckResult;
import io.ployer.api.health.HealthStatus;
import io.ployer.spi.storage.ContainerStatsStore;
import io.ployer.spi.storage.HealthCheckResultStore;
import io.ployer.spi.storage.HealthCheckStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Health check configuration, results and container statistics. */
final class HealthTables {
    private HealthTables() {
    }

    static final class Checks implements HealthCheckStore {
        private static final String COLUMNS = "application_id, path, expected_status_min, expected_status_max, interval_ms, "
                + "timeout_ms, healthy_threshold, unhealthy_threshold, retries, start_period_ms, enabled";
        private final Database database;

        Checks(Database database) {
            this.database = database;
        }

        @Override
        public Optional<HealthCheck> find(String applicationId) {
            return database.queryOne("SELECT " + COLUMNS + " FROM health_checks WHERE application_id = ?", Checks::map, applicationId);
        }

        @Override
        public void upsert(HealthCheck check) {
            database.update("INSERT OR REPLACE INTO health_checks (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                    check.applicationId(), check.path(), check.expectedStatusMin(), check.expectedStatusMax(),
                    check.interval().toMillis(), check.timeout().toMillis(), check.healthyThreshold(),
                    check.unhealthyThreshold(), check.retries(), check.startPeriod().toMillis(), check.enabled());
        }

        @Override
        public boolean delete(String applicationId) {
            return database.update("DELETE FROM health_checks WHERE application_id = ?", applicationId) > 0;
        }

        @Override
        public List<HealthCheck> listAll() {
            return database.query("SELECT " + COLUMNS + " FROM health_checks ORDER BY application_id", Checks::map);
        }

        private static HealthCheck map(ResultSet row) throws SQLException {
            return new HealthCheck(row.getString("application_id"), row.getString("path"), row.getInt("expected_status_min"),
                    row.getInt("expected_status_max"), Duration.ofMillis(row.getLong("interval_ms")),
                    Duration.ofMillis(row.getLong("timeout_ms")), row.getInt("healthy_threshold"),
                    row.getInt("unhealthy_threshold"), row.getInt("retries"), Duration.ofMillis(row.getLong("start_period_ms")),
                    bool(row, "enabled"));
        }
    }

    static final class Results implements HealthCheckResultStore {
        private static final String COLUMNS = "id, application_id, status, response_time_ms, status_code, error, checked_at";
        private final Database database;

        Results(Database database) {
            this.database = database;
        }

        @Override
        public void insert(HealthCheckResult result) {
            database.update("INSERT INTO health_check_results (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?)", result.id(),
                    result.applicationId(), result.status(), result.responseTimeMs(), result.statusCode(), result.error(),
                    result.checkedAt());
        }

        @Override
        public List<HealthCheckResult> latest(String applicationId, int limit) {
            return database.query("SELECT " + COLUMNS + " FROM health_check_results WHERE application_id = ? "
                    + "ORDER BY checked_at DESC, rowid DESC LIMIT ?", Results::map, applicationId, limit);
        }

        @Override
        public int deleteOlderThan(Instant cutoff) {
            return database.update("DELETE FROM health_check_results WHERE checked_at < ?", cutoff);
        }

        private static HealthCheckResult map(ResultSet row) throws SQLException {
            return new HealthCheckResult(row.getString("id"), row.getString("application_id"),
                    HealthStatus.valueOf(row.getString("status")), row.getLong("response_time_ms"), integer(row, "status_code"),
                    row.getString("error"), instant(row, "checked_at"));
        }
    }

    static final class Stats implements ContainerStatsStore {
        private static final String COLUMNS = "id, application_id, container_id, cpu_percent, memory_used_bytes, "
                + "memory_limit_bytes, network_rx_bytes, network_tx_bytes, sampled_at";
        private final Database database;

        Stats(Database database) {
            this.database = database;
        }

        @Override
        public void insert(ContainerStats stats) {
            database.update("INSERT INTO container_stats (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?)", stats.id(),
                    stats.applicationId(), stats.containerId(), stats.cpuPercent(), stats.memoryUsedBytes(),
                    stats.memoryLimitBytes(), stats.networkRxBytes(), stats.networkTxBytes(), stats.sampledAt());
        }

        @Override
        public List<ContainerStats> range(String applicationId, Instant from, Instant to) {
            return database.query("SELECT " + COLUMNS + " FROM container_stats WHERE application_id = ? AND sampled_at >= ? "
                    + "AND sampled_at < ? ORDER BY sampled_at, rowid", Stats::map, applicationId, from, to);
        }

        @Override
        public int deleteOlderThan(Instant cutoff) {
            return database.update("DELETE FROM container_stats WHERE sampled_at < ?", cutoff);
        }

        private static ContainerStats map(ResultSet row) throws SQLException {
            return new ContainerStats(row.getString("id"), row.getString("application_id"), row.getString("container_id"),
                    row.getDouble("cpu_percent"), row.getLong("memory_used_bytes"), row.getLong("memory_limit_bytes"),
                    row.getLong("network_rx_bytes"), row.getLong("network_tx_bytes"), instant(row, "sampled_at"));
        }
    }
}
