package io.ployer.plugin.sqlite.internal;

import static io.ployer.plugin.sqlite.internal.Database.instant;

import io.ployer.api.PloyerException;
import io.ployer.api.deployment.Deployment;
import io.ployer.api.deployment.DeploymentLogLine;
import io.ployer.api.deployment.DeploymentQuery;
import io.ployer.api.deployment.DeploymentStatus;
import io.ployer.api.deployment.DeploymentTrigger;
import io.ployer.spi.storage.DeploymentStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Deployments and their log lines. */
final class DeploymentTable implements DeploymentStore {
    private static final String COLUMNS = "id, application_id, status, trigger_kind, branch, commit_sha, commit_message, "
            + "image_ref, container_id, endpoint, rollback_of, failure_reason, created_at, started_at, finished_at, updated_at, "
            + "image_digest";
    private final Database database;

    DeploymentTable(Database database) {
        this.database = database;
    }

    @Override
    public void insert(Deployment deployment) {
        database.update("INSERT INTO deployments (" + COLUMNS + ", seq) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,"
                        + "(SELECT COALESCE(MAX(seq), 0) + 1 FROM deployments))",
                deployment.id(), deployment.applicationId(), deployment.status(), deployment.trigger(), deployment.branch(),
                deployment.commitSha(), deployment.commitMessage(), deployment.imageRef(), deployment.containerId(),
                deployment.endpoint(), deployment.rollbackOf(), deployment.failureReason(), deployment.createdAt(),
                deployment.startedAt(), deployment.finishedAt(), deployment.updatedAt(), deployment.imageDigest());
    }

    @Override
    public void update(Deployment deployment) {
        database.updateExisting("deployment", deployment.id(), "UPDATE deployments SET application_id = ?, status = ?, trigger_kind = ?, branch = ?, "
                        + "commit_sha = ?, commit_message = ?, image_ref = ?, container_id = ?, endpoint = ?, rollback_of = ?, "
                        + "failure_reason = ?, created_at = ?, started_at = ?, finished_at = ?, updated_at = ?, image_digest = ? WHERE id = ?",
                deployment.applicationId(), deployment.status(), deployment.trigger(), deployment.branch(),
                deployment.commitSha(), deployment.commitMessage(), deployment.imageRef(), deployment.containerId(),
                deployment.endpoint(), deployment.rollbackOf(), deployment.failureReason(), deployment.createdAt(),
                deployment.startedAt(), deployment.finishedAt(), deployment.updatedAt(), deployment.imageDigest(), deployment.id());
    }

    @Override
    public Optional<Deployment> findById(String id) {
        return database.queryOne("SELECT " + COLUMNS + " FROM deployments WHERE id = ?", DeploymentTable::map, id);
    }

    @Override
    public List<Deployment> list(DeploymentQuery query) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM deployments WHERE 1 = 1");
        List<Object> parameters = new ArrayList<>();
        if (query.applicationId() != null) {
            sql.append(" AND application_id = ?");
            parameters.add(query.applicationId());
        }
        if (query.status() != null) {
            sql.append(" AND status = ?");
            parameters.add(query.status());
        }
        sql.append(" ORDER BY created_at DESC, seq DESC LIMIT ? OFFSET ?");
        parameters.add(query.limit());
        parameters.add(query.offset());
        return database.query(sql.toString(), DeploymentTable::map, parameters.toArray());
    }

    @Override
    public long count(DeploymentQuery query) {
        StringBuilder sql = new StringBuilder("SELECT COUNT(*) FROM deployments WHERE 1 = 1");
        List<Object> parameters = new ArrayList<>();
        if (query.applicationId() != null) {
            sql.append(" AND application_id = ?");
            parameters.add(query.applicationId());
        }
        if (query.status() != null) {
            sql.append(" AND status = ?");
            parameters.add(query.status());
        }
        return database.count(sql.toString(), parameters.toArray());
    }

    @Override
    public List<Deployment> findByStatus(Set<DeploymentStatus> statuses) {
        if (statuses.isEmpty()) {
            return List.of();
        }
        return database.query("SELECT " + COLUMNS + " FROM deployments WHERE status IN (" + placeholders(statuses.size())
                + ") ORDER BY created_at, seq", DeploymentTable::map, statuses.toArray());
    }

    @Override
    public List<Deployment> findByApplicationAndStatus(String applicationId, Set<DeploymentStatus> statuses) {
        if (statuses.isEmpty()) {
            return List.of();
        }
        List<Object> parameters = new ArrayList<>();
        parameters.add(applicationId);
        parameters.addAll(statuses);
        return database.query("SELECT " + COLUMNS + " FROM deployments WHERE application_id = ? AND status IN ("
                + placeholders(statuses.size()) + ") ORDER BY created_at, seq", DeploymentTable::map, parameters.toArray());
    }

    @Override
    public void appendLog(DeploymentLogLine line) {
        database.update("INSERT INTO deployment_logs (deployment_id, sequence, stream, line, at) VALUES (?,?,?,?,?)",
                line.deploymentId(), line.sequence(), line.stream(), line.line(), line.at());
    }

    @Override
    public List<DeploymentLogLine> logs(String deploymentId) {
        return database.query("SELECT deployment_id, sequence, stream, line, at FROM deployment_logs WHERE deployment_id = ? "
                + "ORDER BY sequence", row -> new DeploymentLogLine(row.getString("deployment_id"), row.getLong("sequence"),
                row.getString("stream"), row.getString("line"), instant(row, "at")), deploymentId);
    }

    private static String placeholders(int count) {
        return java.util.stream.IntStream.range(0, count).mapToObj(i -> "?").collect(Collectors.joining(","));
    }

    private static Deployment map(ResultSet row) throws SQLException {
        return new Deployment(row.getString("id"), row.getString("application_id"),
                DeploymentStatus.valueOf(row.getString("status")), DeploymentTrigger.valueOf(row.getString("trigger_kind")),
                row.getString("branch"), row.getString("commit_sha"), row.getString("commit_message"),
                row.getString("image_ref"), row.getString("container_id"), row.getString("endpoint"),
                row.getString("rollback_of"), row.getString("failure_reason"), instant(row, "created_at"),
                instant(row, "started_at"), instant(row, "finished_at"), instant(row, "updated_at"), row.getString("image_digest"));
    }
}
