package io.ployer.engine.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ployer.engine.DockerCli;
import io.ployer.api.Ployer;
import io.ployer.api.PloyerException;
import io.ployer.api.database.Backup;
import io.ployer.api.database.BackupDestination;
import io.ployer.api.database.BackupDestinationSpec;
import io.ployer.api.database.Database;
import io.ployer.api.database.DatabaseEngine;
import io.ployer.api.database.DatabaseSpec;
import io.ployer.api.database.DatabaseStatus;
import io.ployer.testkit.Environment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A recorded backup restored into a new database (real PostgreSQL, MariaDB and Redis containers from the
 * local images): the new one has the rows, credentials of its own, and the original is untouched.
 */
class RestoreIntoNewDatabaseIT {
    @TempDir
    Path data;
    private Ployer ployer;
    private final List<String> created = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        Environment.requireDocker();
        DatabaseBackupIT.requireImage("ployer-test/postgres:15");
        ployer = Ployer.builder().dataDirectory(data.resolve("engine"))
                .config("databases.enabled", "true")
                .config("databases.image-postgresql", "ployer-test/postgres")
                .config("databases.image-mariadb", "ployer-test/mariadb")
                .config("databases.image-redis", "ployer-test/redis")
                .config("reconcile", "false")
                .build();
        ployer.start();
    }

    @AfterEach
    void tearDown() {
        if (ployer != null) {
            for (Database database : ployer.databases().list()) {
                try {
                    ployer.databases().delete(database.id(), true);
                } catch (RuntimeException e) {
                    // best effort
                }
            }
            ployer.close();
        }
    }

    private BackupDestination local() {
        return ployer.databases().createDestination(new BackupDestinationSpec("it-local-" + UUID.randomUUID().toString().substring(0, 4),
                BackupDestination.Kind.LOCAL, data.resolve("backups").toString(), null, null, null, null, null, null));
    }

    private Database create(String prefix, DatabaseEngine engine, String version) {
        Database database = ployer.databases().create(new DatabaseSpec(prefix + "-" + UUID.randomUUID().toString().substring(0, 6),
                engine, version, null, false, null));
        created.add(database.id());
        return database;
    }

    private String password(Database database) {
        DefaultDatabaseService service = (DefaultDatabaseService) ployer.databases();
        return service.password(service.stored(database.id()));
    }

    @Test
    void postgresBackupRestoresIntoANewDatabaseAndLeavesTheOriginalAlone() throws Exception {
        Database original = create("it-pg", DatabaseEngine.POSTGRESQL, "15");
        psql(original, "CREATE TABLE items (id int PRIMARY KEY, label text);"
                + " INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 500) g;");
        Backup backup = ployer.databases().backup(original.id(), local().id());
        assertThat(backup.status()).as(backup.reason()).isEqualTo(Backup.Status.SUCCEEDED);
        psql(original, "INSERT INTO items VALUES (501, 'after the backup');");

        String name = "it-pg-copy-" + UUID.randomUUID().toString().substring(0, 6);
        Database copy = ployer.databases().restoreIntoNew(original.id(), backup.id(), name);
        assertThat(copy.id()).isNotEqualTo(original.id());
        assertThat(copy.name()).isEqualTo(name);
        assertThat(copy.status()).isEqualTo(DatabaseStatus.RUNNING);
        assertThat(copy.engine()).isEqualTo(original.engine());
        assertThat(copy.version()).isEqualTo(original.version());
        assertThat(copy.image()).isEqualTo(original.image());
        assertThat(copy.databaseName()).isEqualTo(name.replace('-', '_'));
        assertThat(password(copy)).isNotEqualTo(password(original));
        assertThat(psql(copy, "SELECT count(*) FROM items")).isEqualTo("500");
        assertThat(psql(copy, "SELECT label FROM items WHERE id = 7")).isEqualTo("item 7");
        // Its own password works over TCP, where the server asks for one.
        assertThat(DockerCli.run("exec", "-e", "PGPASSWORD=" + password(copy), "ployer-db-" + copy.name(), "psql", "-h", "127.0.0.1",
                "-U", copy.username(), "-d", copy.databaseName(), "-tAc", "SELECT count(*) FROM items")).isEqualTo("500");

        // The original keeps its rows, the one written after the backup included.
        assertThat(psql(original, "SELECT count(*) FROM items")).isEqualTo("501");
        assertThat(ployer.databases().list()).extracting(Database::id).contains(original.id(), copy.id());
        assertThat(ployer.databases().backups(copy.id())).isEmpty();

        // A taken name or a failed backup is refused with the field named, and nothing new is left behind.
        assertThatThrownBy(() -> ployer.databases().restoreIntoNew(original.id(), backup.id(), name))
                .isInstanceOfSatisfying(PloyerException.class, e -> assertThat(e.getMessage()).contains("name"));
        assertThatThrownBy(() -> ployer.databases().restoreIntoNew(original.id(), "no-such-backup", "it-pg-none"))
                .isInstanceOfSatisfying(PloyerException.class, e -> assertThat(e.getMessage()).contains("no-such-backup"));
        assertThat(ployer.databases().list()).hasSize(2);
    }

    @Test
    void mariadbAndRedisBackupsRestoreIntoNewDatabases() throws Exception {
        DatabaseBackupIT.requireImage("ployer-test/mariadb:10.11");
        DatabaseBackupIT.requireImage("ployer-test/redis:7");
        BackupDestination local = local();

        Database maria = create("it-maria", DatabaseEngine.MARIADB, "10.11");
        mysql(maria, "CREATE TABLE " + maria.databaseName() + ".items (id INT PRIMARY KEY); INSERT INTO " + maria.databaseName()
                + ".items VALUES (1), (2), (3);");
        Backup mariaBackup = ployer.databases().backup(maria.id(), local.id());
        assertThat(mariaBackup.status()).as(mariaBackup.reason()).isEqualTo(Backup.Status.SUCCEEDED);
        Database mariaCopy = ployer.databases().restoreIntoNew(maria.id(), mariaBackup.id(), "it-maria-copy-"
                + UUID.randomUUID().toString().substring(0, 6));
        // The rows are in the new database's own schema, not in one named after the original.
        assertThat(mysql(mariaCopy, "SELECT count(*) FROM " + mariaCopy.databaseName() + ".items")).isEqualTo("3");
        assertThat(mysql(mariaCopy, "SELECT count(*) FROM information_schema.schemata WHERE schema_name = '"
                + maria.databaseName() + "'")).isEqualTo("0");
        assertThat(mysql(maria, "SELECT count(*) FROM " + maria.databaseName() + ".items")).isEqualTo("3");

        Database redis = create("it-redis", DatabaseEngine.REDIS, "7");
        redisCli(redis, "SET", "greeting", "hello");
        Backup redisBackup = ployer.databases().backup(redis.id(), local.id());
        assertThat(redisBackup.status()).as(redisBackup.reason()).isEqualTo(Backup.Status.SUCCEEDED);
        redisCli(redis, "SET", "greeting", "changed");
        Database redisCopy = ployer.databases().restoreIntoNew(redis.id(), redisBackup.id(), "it-redis-copy-"
                + UUID.randomUUID().toString().substring(0, 6));
        assertThat(redisCli(redisCopy, "GET", "greeting")).isEqualTo("hello");
        assertThat(redisCli(redis, "GET", "greeting")).isEqualTo("changed");
        assertThat(password(redisCopy)).isNotEqualTo(password(redis));
        assertThat(ployer.databases().health(redisCopy.id()).ready()).isTrue();
    }

    private static String psql(Database database, String sql) throws Exception {
        return DockerCli.run("exec", "ployer-db-" + database.name(), "psql", "-U", database.username(), "-d", database.databaseName(),
                "-tAc", sql);
    }

    private static String mysql(Database database, String sql) throws Exception {
        return DockerCli.run("exec", "ployer-db-" + database.name(), "sh", "-c", "MYSQL_PWD=\"$MARIADB_ROOT_PASSWORD\" mariadb -uroot -N -e \"$1\"",
                "sh", sql);
    }

    private static String redisCli(Database database, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("exec", "ployer-db-" + database.name(), "sh", "-c",
                "REDISCLI_AUTH=\"$REDIS_PASSWORD\" redis-cli \"$@\"", "sh"));
        command.addAll(List.of(arguments));
        return DockerCli.run(command.toArray(String[]::new));
    }
}
