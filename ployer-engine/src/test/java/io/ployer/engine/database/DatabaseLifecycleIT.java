package io.ployer.engine.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ployer.engine.DockerCli;
import io.ployer.api.Ployer;
import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.api.access.ProjectRole;
import io.ployer.api.account.AccountService.Principal;
import io.ployer.api.account.ApiKeyScope;
import io.ployer.api.database.Backup;
import io.ployer.api.database.BackupDestination;
import io.ployer.api.database.BackupDestinationSpec;
import io.ployer.api.database.BackupPolicy;
import io.ployer.api.database.Database;
import io.ployer.api.database.DatabaseEngine;
import io.ployer.api.database.DatabaseService;
import io.ployer.api.database.DatabaseSpec;
import io.ployer.testkit.Environment;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Databases on by default, in projects, published on a chosen host interface, with stats, a minor
 * upgrade (backup first, stop-then-start on the new image) and a delete that keeps the volume; against
 * real containers of the images scripts/provision-test-env.sh builds.
 */
class DatabaseLifecycleIT {
    @TempDir
    Path data;
    private Ployer ployer;
    private final List<String> created = new ArrayList<>();
    private final List<String> volumes = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        Environment.requireDocker();
        DatabaseBackupIT.requireImage("ployer-test/postgres:15");
        // No databases.enabled: they are on by default.
        ployer = Ployer.builder().dataDirectory(data.resolve("engine"))
                .config("databases.image-postgresql", "ployer-test/postgres")
                .config("databases.image-redis", "ployer-test/redis")
                .config("reconcile", "false")
                .config("databases.ready-timeout", "60")
                .build();
        ployer.start();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (ployer != null) {
            for (String id : created) {
                try {
                    ployer.databases().delete(id, true);
                } catch (RuntimeException e) {
                    // gone already
                }
            }
            ployer.close();
        }
        for (String volume : volumes) {
            new ProcessBuilder("docker", "volume", "rm", "-f", volume).start().waitFor(60, TimeUnit.SECONDS);
        }
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 6);
    }

    @Test
    void aDatabaseWhoseImageIsMissingIsAClearConflictAndNothingIsRecorded() {
        assertThatThrownBy(() -> ployer.databases().create(new DatabaseSpec(unique("noimg"), DatabaseEngine.POSTGRESQL, "15",
                "ployer-test/no-such-image", false, null)))
                .isInstanceOfSatisfying(PloyerException.class, error -> {
                    assertThat(error.code()).isEqualTo(StandardErrorCode.INVALID_STATE);
                    assertThat(error.getMessage()).contains("ployer-test/no-such-image:15 is not on this host");
                });
        assertThat(ployer.databases().list()).isEmpty();
    }

    @Test
    void projectMembersManageTheirProjectsDatabasesAndViewersOnlyRead() {
        ployer.accounts().register("owner@example.com", "correct horse battery"); // the first user owns the instance
        ployer.accounts().setRegistrationOpen(true);
        ployer.projects().create("alpha", "Alpha");
        Principal developer = member("dev@example.com", "alpha", ProjectRole.DEVELOPER);
        Principal viewer = member("viewer@example.com", "alpha", ProjectRole.VIEWER);
        Principal stranger = member("stranger@example.com", null, null);
        DatabaseService asDeveloper = ployer.as(developer).databases();

        assertThatThrownBy(() -> asDeveloper.create(new DatabaseSpec(unique("pub"), DatabaseEngine.REDIS, "7", null, true, null,
                "alpha", null))).isInstanceOfSatisfying(PloyerException.class,
                error -> assertThat(error.code()).isEqualTo(StandardErrorCode.PERMISSION_DENIED));
        Database database = asDeveloper.create(new DatabaseSpec(unique("team"), DatabaseEngine.POSTGRESQL, "15", null, false,
                null, "alpha", null));
        created.add(database.id());
        assertThat(database.projectId()).isEqualTo("alpha");
        assertThat(asDeveloper.restart(database.id()).status()).isEqualTo(io.ployer.api.database.DatabaseStatus.RUNNING);

        DatabaseService asViewer = ployer.as(viewer).databases();
        assertThat(asViewer.list()).extracting(Database::id).containsExactly(database.id());
        assertThat(asViewer.health(database.id()).ready()).isTrue();
        assertThatThrownBy(() -> asViewer.stop(database.id())).isInstanceOfSatisfying(PloyerException.class,
                error -> assertThat(error.code()).isEqualTo(StandardErrorCode.PERMISSION_DENIED));
        assertThatThrownBy(() -> asViewer.logs(database.id(), 10)).isInstanceOfSatisfying(PloyerException.class,
                error -> assertThat(error.code()).isEqualTo(StandardErrorCode.PERMISSION_DENIED));
        assertThatThrownBy(() -> asDeveloper.delete(database.id(), false)).isInstanceOfSatisfying(PloyerException.class,
                error -> assertThat(error.code()).isEqualTo(StandardErrorCode.PERMISSION_DENIED));

        DatabaseService asStranger = ployer.as(stranger).databases();
        assertThat(asStranger.list()).isEmpty();
        assertThatThrownBy(() -> asStranger.get(database.id())).isInstanceOfSatisfying(PloyerException.class,
                error -> assertThat(error.code()).isEqualTo(StandardErrorCode.NOT_FOUND));

        // A link stays inside one project.
        var other = ployer.applications().create(io.ployer.api.application.ApplicationSpec.named(unique("elsewhere"))
                .withGit("https://git.example.com/team/app.git", "main"));
        assertThatThrownBy(() -> ployer.databases().link(other.id(), database.id(), null))
                .isInstanceOfSatisfying(PloyerException.class, error -> {
                    assertThat(error.code()).isEqualTo(StandardErrorCode.INVALID_ARGUMENT);
                    assertThat(error.getMessage()).contains("a link stays inside one project");
                });
    }

    private Principal member(String email, String project, ProjectRole role) {
        var user = ployer.accounts().register(email, "correct horse battery");
        if (project != null) {
            ployer.projects().setMember(project, user.id(), role);
        }
        var current = ployer.accounts().users().stream().filter(u -> u.id().equals(user.id())).findFirst().orElseThrow();
        return new Principal(current, Set.of(ApiKeyScope.READ, ApiKeyScope.WRITE), false);
    }

    @Test
    void aPublicPortAnswersOnTheChosenInterfaceAndStatsAreRead() throws Exception {
        DatabaseBackupIT.requireImage("ployer-test/redis:7");
        assertThatThrownBy(() -> ployer.databases().create(new DatabaseSpec(unique("bad-host"), DatabaseEngine.REDIS, "7", null,
                true, null, null, "192.0.2.77"))).isInstanceOfSatisfying(PloyerException.class,
                error -> assertThat(error.getMessage()).contains("public_host 192.0.2.77 is not an address of any interface"));
        Database redis = ployer.databases().create(new DatabaseSpec(unique("pub"), DatabaseEngine.REDIS, "7", null, true, null,
                null, "127.0.0.1"));
        created.add(redis.id());
        assertThat(redis.publicHost()).isEqualTo("127.0.0.1");
        var endpoint = ployer.databases().publicEndpoint(redis.id()).orElseThrow();
        assertThat(endpoint.host()).isEqualTo("127.0.0.1");
        try (Socket socket = new Socket(endpoint.host(), endpoint.port())) {
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[64];
            int read = in.read(buffer);
            // It answers, and asks for the generated password.
            assertThat(new String(buffer, 0, read, StandardCharsets.US_ASCII)).startsWith("-NOAUTH");
        }
        var stats = ployer.databases().stats(redis.id());
        assertThat(stats.memoryUsedBytes()).isPositive();

        Database hidden = ployer.databases().create(new DatabaseSpec(unique("hidden"), DatabaseEngine.REDIS, "7", null, false, null));
        created.add(hidden.id());
        assertThat(ployer.databases().publicEndpoint(hidden.id())).isEmpty();
    }

    @Test
    void aMinorUpgradeBacksUpFirstKeepsTheDataAndDeleteKeepsTheVolume() throws Exception {
        DatabaseBackupIT.requireImage("ployer-test/postgres:15.1");
        String name = unique("upg");
        Database database = ployer.databases().create(new DatabaseSpec(name, DatabaseEngine.POSTGRESQL, "15", null, false, null));
        created.add(database.id());
        volumes.add(DatabaseProvisioning.volumeName(database));
        DockerCli.run("exec", "ployer-db-" + name, "psql", "-U", "ployer", "-d", database.databaseName(), "-tAc",
                "CREATE TABLE items (id int); INSERT INTO items SELECT generate_series(1, 7);");
        assertThatThrownBy(() -> ployer.databases().upgrade(database.id(), "15.1")).isInstanceOfSatisfying(PloyerException.class,
                error -> assertThat(error.getMessage()).contains("has no backup policy"));
        assertThatThrownBy(() -> ployer.databases().upgrade(database.id(), "16")).isInstanceOfSatisfying(PloyerException.class,
                error -> assertThat(error.getMessage()).contains("only a minor upgrade within major version 15"));
        BackupDestination local = ployer.databases().createDestination(new BackupDestinationSpec("upgrade-local",
                BackupDestination.Kind.LOCAL, data.resolve("backups").toString(), null, null, null, null, null, null));
        ployer.databases().setBackupPolicy(database.id(), new BackupPolicy(null, 3, local.id()));

        Database upgraded = ployer.databases().upgrade(database.id(), "15.1");
        assertThat(upgraded.version()).isEqualTo("15.1");
        assertThat(upgraded.image()).isEqualTo("ployer-test/postgres:15.1");
        assertThat(upgraded.status()).isEqualTo(io.ployer.api.database.DatabaseStatus.RUNNING);
        assertThat(ployer.databases().backups(database.id())).singleElement().extracting(Backup::status)
                .isEqualTo(Backup.Status.SUCCEEDED);
        assertThat(DockerCli.run("inspect", "--format", "{{.Config.Image}}", "ployer-db-" + name)).isEqualTo("ployer-test/postgres:15.1");
        assertThat(DockerCli.run("exec", "ployer-db-" + name, "psql", "-U", "ployer", "-d", database.databaseName(), "-tAc",
                "SELECT count(*) FROM items")).isEqualTo("7");

        // A version whose server never becomes ready: the old image runs again, the data is still there.
        if (imagePresent("ployer-test/postgres:15.99")) {
            assertThatThrownBy(() -> ployer.databases().upgrade(database.id(), "15.99")).isInstanceOfSatisfying(PloyerException.class,
                    error -> assertThat(error.getMessage()).contains("did not become ready on ployer-test/postgres:15.99")
                            .contains("it runs ployer-test/postgres:15.1 again"));
            assertThat(ployer.databases().get(database.id()).version()).isEqualTo("15.1");
            assertThat(ployer.databases().health(database.id()).ready()).isTrue();
            assertThat(DockerCli.run("exec", "ployer-db-" + name, "psql", "-U", "ployer", "-d", database.databaseName(), "-tAc",
                    "SELECT count(*) FROM items")).isEqualTo("7");
        }

        ployer.databases().delete(database.id(), false);
        created.remove(database.id());
        assertThat(DockerCli.run("volume", "inspect", "--format", "{{.Name}}", DatabaseProvisioning.volumeName(database)))
                .isEqualTo(DatabaseProvisioning.volumeName(database));
    }

    private static boolean imagePresent(String image) throws Exception {
        Process process = new ProcessBuilder("docker", "image", "inspect", image).redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        return process.waitFor() == 0;
    }
}
