package io.ployer.plugin.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.ployer.api.access.Invitation;
import io.ployer.api.access.Project;
import io.ployer.api.access.ProjectMember;
import io.ployer.api.access.ProjectRole;
import io.ployer.api.account.Role;
import io.ployer.api.account.User;
import io.ployer.plugin.sqlite.internal.SqliteStorage;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database made by the release before projects (migrations V1 to V5, with applications in it)
 * opens with this build: V6 puts every application into the {@code default} project.
 */
class ProjectMigrationTest {
    @TempDir
    Path directory;

    @Test
    void applicationsOfTheReleaseBeforeProjectsLandInTheDefaultProject() throws Exception {
        Path file = directory.resolve("ployer.db");
        Flyway.configure(SqliteStorage.class.getClassLoader()).dataSource("jdbc:sqlite:" + file, null, null)
                .locations("classpath:db/migration/sqlite").target("5").load().migrate();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement statement = connection.createStatement()) {
            assertThat(statement.executeQuery("SELECT COUNT(*) FROM pragma_table_info('applications') WHERE name = 'project_id'")
                    .getInt(1)).as("made by the old schema").isZero();
            for (String name : new String[] {"shop", "blog"}) {
                statement.executeUpdate("INSERT INTO applications (id, name, branch, build_strategy, port, auto_deploy, "
                        + "restart_policy, status, created_at, updated_at) VALUES ('id-" + name + "', '" + name
                        + "', 'main', 'dockerfile', 8080, 1, 'UNLESS_STOPPED', 'RUNNING', 1000, 2000)");
            }
        }

        try (SqliteStorage storage = new SqliteStorage(file, 2, Duration.ofSeconds(5), true)) {
            storage.start();
            assertThat(storage.applications().list()).extracting(application -> application.projectId())
                    .containsExactly(Project.DEFAULT_ID, Project.DEFAULT_ID);
            assertThat(storage.projects().find(Project.DEFAULT_ID)).isPresent();
            assertThat(storage.projects().applicationCount(Project.DEFAULT_ID)).isEqualTo(2);

            // The new tables work on the migrated file: a project, a member, a single-use invitation, a moved application.
            Instant now = Instant.parse("2026-01-01T00:00:00Z");
            storage.projects().insert(new Project("team-a", "Team A", now));
            storage.users().insert(new User("u1", "dev@example.com", "hash", Role.USER, now));
            storage.projects().putMember(new ProjectMember("team-a", "u1", null, ProjectRole.VIEWER, now));
            storage.projects().putMember(new ProjectMember("team-a", "u1", null, ProjectRole.DEVELOPER, now));
            assertThat(storage.projects().memberships("u1")).singleElement()
                    .satisfies(member -> {
                        assertThat(member.role()).isEqualTo(ProjectRole.DEVELOPER);
                        assertThat(member.email()).isEqualTo("dev@example.com");
                    });
            storage.projects().insertInvitation(new Invitation("i1", "team-a", ProjectRole.VIEWER, "hash-1", "u1", now,
                    now.plusSeconds(60), null, null));
            assertThat(storage.projects().acceptInvitation("i1", "u1", now)).isTrue();
            assertThat(storage.projects().acceptInvitation("i1", "u1", now)).isFalse();
            var shop = storage.applications().findByName("shop").orElseThrow();
            storage.applications().update(shop.withProject("team-a"));
            assertThat(storage.applications().findByName("shop").orElseThrow().projectId()).isEqualTo("team-a");
            assertThat(storage.projects().applicationCount(Project.DEFAULT_ID)).isEqualTo(1);
        }
    }
}
