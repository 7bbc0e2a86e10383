package io.ployer.plugin.sqlite.internal;

import static io.ployer.plugin.sqlite.internal.Database.instant;

import io.ployer.api.access.Environment;
import io.ployer.api.access.Invitation;
import io.ployer.api.access.Project;
import io.ployer.api.access.ProjectMember;
import io.ployer.api.access.ProjectRole;
import io.ployer.spi.storage.ProjectStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Projects, their members and invitations. */
final class ProjectTables implements ProjectStore {
    private static final String MEMBER_QUERY = "SELECT m.project_id, m.user_id, u.email, m.role, m.added_at "
            + "FROM project_members m JOIN users u ON u.id = m.user_id ";
    private static final String INVITATION_COLUMNS = "id, project_id, role, token_hash, created_by, created_at, expires_at, "
            + "accepted_by, accepted_at";
    private final Database database;

    ProjectTables(Database database) {
        this.database = database;
    }

    @Override
    public void insert(Project project) {
        database.update("INSERT INTO projects (id, name, created_at) VALUES (?,?,?)", project.id(), project.name(),
                project.createdAt());
    }

    @Override
    public void update(Project project) {
        database.updateExisting("project", project.id(), "UPDATE projects SET name = ? WHERE id = ?", project.name(), project.id());
    }

    @Override
    public Optional<Project> find(String id) {
        return database.queryOne("SELECT id, name, created_at FROM projects WHERE id = ?", ProjectTables::project, id);
    }

    @Override
    public List<Project> list() {
        return database.query("SELECT id, name, created_at FROM projects ORDER BY id", ProjectTables::project);
    }

    @Override
    public boolean delete(String id) {
        return database.update("DELETE FROM projects WHERE id = ?", id) > 0;
    }

    @Override
    public long applicationCount(String projectId) {
        return database.count("SELECT COUNT(*) FROM applications WHERE project_id = ?", projectId);
    }

    @Override
    public List<ProjectMember> members(String projectId) {
        return database.query(MEMBER_QUERY + "WHERE m.project_id = ? ORDER BY u.email", ProjectTables::member, projectId);
    }

    @Override
    public List<ProjectMember> memberships(String userId) {
        return database.query(MEMBER_QUERY + "WHERE m.user_id = ? ORDER BY m.project_id", ProjectTables::member, userId);
    }

    @Override
    public void putMember(ProjectMember member) {
        database.update("INSERT INTO project_members (project_id, user_id, role, added_at) VALUES (?,?,?,?) "
                        + "ON CONFLICT (project_id, user_id) DO UPDATE SET role = excluded.role",
                member.projectId(), member.userId(), member.role(), member.addedAt());
    }

    @Override
    public boolean deleteMember(String projectId, String userId) {
        return database.update("DELETE FROM project_members WHERE project_id = ? AND user_id = ?", projectId, userId) > 0;
    }

    @Override
    public void insertInvitation(Invitation invitation) {
        database.update("INSERT INTO project_invitations (" + INVITATION_COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?)",
                invitation.id(), invitation.projectId(), invitation.role(), invitation.tokenHash(), invitation.createdBy(),
                invitation.createdAt(), invitation.expiresAt(), invitation.acceptedBy(), invitation.acceptedAt());
    }

    @Override
    public Optional<Invitation> findInvitationByTokenHash(String tokenHash) {
        return database.queryOne("SELECT " + INVITATION_COLUMNS + " FROM project_invitations WHERE token_hash = ?",
                ProjectTables::invitation, tokenHash);
    }

    @Override
    public boolean acceptInvitation(String invitationId, String userId, Instant at) {
        return database.update("UPDATE project_invitations SET accepted_by = ?, accepted_at = ? "
                + "WHERE id = ? AND accepted_at IS NULL", userId, at, invitationId) > 0;
    }

    @Override
    public List<Environment> environments(String projectId) {
        return database.query("SELECT project_id, name, created_at FROM environments WHERE project_id = ? ORDER BY name",
                row -> new Environment(row.getString("project_id"), row.getString("name"), instant(row, "created_at")), projectId);
    }

    @Override
    public void insertEnvironment(Environment environment) {
        database.update("INSERT INTO environments (project_id, name, created_at) VALUES (?,?,?)", environment.projectId(),
                environment.name(), environment.createdAt());
    }

    @Override
    public boolean deleteEnvironment(String projectId, String name) {
        return database.update("DELETE FROM environments WHERE project_id = ? AND name = ?", projectId, name) > 0;
    }

    @Override
    public List<Environment.Placement> placements(String projectId, String environment) {
        return database.query("SELECT a.id AS application_id, COALESCE(e.environment, 'production') AS environment, "
                + "e.source_application_id FROM applications a LEFT JOIN application_environments e ON e.application_id = a.id "
                + "WHERE a.project_id = ? AND COALESCE(e.environment, 'production') = ? ORDER BY a.name",
                ProjectTables::placement, projectId, environment);
    }

    @Override
    public Optional<Environment.Placement> placement(String applicationId) {
        return database.queryOne("SELECT application_id, environment, source_application_id FROM application_environments "
                + "WHERE application_id = ?", ProjectTables::placement, applicationId);
    }

    @Override
    public void putPlacement(Environment.Placement placement) {
        database.update("INSERT INTO application_environments (application_id, environment, source_application_id) VALUES (?,?,?) "
                        + "ON CONFLICT (application_id) DO UPDATE SET environment = excluded.environment, "
                        + "source_application_id = excluded.source_application_id",
                placement.applicationId(), placement.environment(), placement.sourceApplicationId());
    }

    @Override
    public List<String> sharingApplications(String sourceApplicationId) {
        return database.query("SELECT application_id FROM application_environments WHERE source_application_id = ? "
                + "ORDER BY application_id", row -> row.getString("application_id"), sourceApplicationId);
    }

    private static Environment.Placement placement(ResultSet row) throws SQLException {
        return new Environment.Placement(row.getString("application_id"), row.getString("environment"),
                row.getString("source_application_id"));
    }

    private static Project project(ResultSet row) throws SQLException {
        return new Project(row.getString("id"), row.getString("name"), instant(row, "created_at"));
    }

    private static ProjectMember member(ResultSet row) throws SQLException {
        return new ProjectMember(row.getString("project_id"), row.getString("user_id"), row.getString("email"),
                ProjectRole.valueOf(row.getString("role")), instant(row, "added_at"));
    }

    private static Invitation invitation(ResultSet row) throws SQLException {
        return new Invitation(row.getString("id"), row.getString("project_id"), ProjectRole.valueOf(row.getString("role")),
                row.getString("token_hash"), row.getString("created_by"), instant(row, "created_at"),
                instant(row, "expires_at"), row.getString("accepted_by"), instant(row, "accepted_at"));
    }
}
