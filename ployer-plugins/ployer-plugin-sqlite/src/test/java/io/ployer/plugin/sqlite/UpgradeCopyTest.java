package io.ployer.plugin.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.ployer.plugin.sqlite.internal.SqliteStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An older version's database is copied, as it was, to {@code upgrade-backups/} before this build
 * migrates it; a current database, a new one and a second start make no copy.
 */
class UpgradeCopyTest {
    @TempDir
    Path directory;

    @Test
    void anOlderDatabaseIsCopiedAsItWasBeforeItIsMigrated() throws Exception {
        Path file = directory.resolve("ployer.db");
        Flyway.configure(SqliteStorage.class.getClassLoader()).dataSource("jdbc:sqlite:" + file, null, null)
                .locations("classpath:db/migration/sqlite").target("2").load().migrate();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement statement = connection.createStatement()) {
            statement.executeUpdate("INSERT INTO applications (id, name, branch, build_strategy, port, auto_deploy, "
                    + "restart_policy, status, created_at, updated_at) VALUES ('id-shop', 'shop', 'main', 'dockerfile', 8080, 1, "
                    + "'UNLESS_STOPPED', 'RUNNING', 1000, 2000)");
        }

        try (SqliteStorage storage = new SqliteStorage(file, 2, Duration.ofSeconds(5), false)) {
            storage.start();
            assertThat(storage.applications().list()).extracting(application -> application.name()).containsExactly("shop");
        }
        List<Path> copies = copies();
        assertThat(copies).singleElement().satisfies(copy -> {
            assertThat(copy.getFileName().toString()).startsWith("ployer-schema-V2-").endsWith(".db");
            assertThat(versions(copy)).as("the copy is the database as it was").containsExactly("1", "2");
            assertThat(Files.getPosixFilePermissions(copy)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        });
        assertThat(versions(file)).containsExactlyElementsOf(SqliteStorage.BUNDLED_MIGRATIONS);
        try (Connection copy = DriverManager.getConnection("jdbc:sqlite:" + copies.get(0));
             ResultSet rows = copy.createStatement().executeQuery("SELECT name FROM applications")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo("shop");
        }

        // Current now: another start copies nothing.
        try (SqliteStorage storage = new SqliteStorage(file, 2, Duration.ofSeconds(5), true)) {
            storage.start();
        }
        assertThat(copies()).hasSize(1);
    }

    @Test
    void aNewDatabaseIsNotCopied() throws Exception {
        try (SqliteStorage storage = new SqliteStorage(directory.resolve("ployer.db"), 2, Duration.ofSeconds(5), false)) {
            storage.start();
        }
        assertThat(Files.exists(directory.resolve("upgrade-backups"))).isFalse();
    }

    private List<Path> copies() throws Exception {
        Path backups = directory.resolve("upgrade-backups");
        if (!Files.isDirectory(backups)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(backups)) {
            return files.sorted().toList();
        }
    }

    private static List<String> versions(Path database) throws Exception {
        List<String> versions = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database);
             ResultSet rows = connection.createStatement().executeQuery(
                     "SELECT version FROM flyway_schema_history WHERE version IS NOT NULL ORDER BY installed_rank")) {
            while (rows.next()) {
                versions.add(rows.getString(1));
            }
        }
        return versions;
    }
}
