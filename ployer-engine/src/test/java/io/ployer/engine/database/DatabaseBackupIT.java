package io.ployer.engine.database;

import static org.assertj.core.api.Assertions.assertThat;

import io.ployer.api.Ployer;
import io.ployer.api.database.Backup;
import io.ployer.api.database.BackupDestination;
import io.ployer.api.database.BackupDestinationSpec;
import io.ployer.api.database.BackupPolicy;
import io.ployer.api.database.Database;
import io.ployer.api.database.DatabaseEngine;
import io.ployer.api.database.DatabaseSpec;
import io.ployer.api.database.DatabaseStatus;
import io.ployer.testkit.Environment;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.blobstore.domain.StorageMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Databases against real containers (images built from Debian's packages by
 * scripts/provision-test-env.sh) and a real S3 server on 127.0.0.1 (S3Proxy over a temporary
 * directory): back up, lose data, restore, prune, survive an unreachable endpoint.
 */
class DatabaseBackupIT {
    private static final String ACCESS_KEY = "ployer-access";
    private static final String SECRET_KEY = "ployer-secret-key-for-tests";
    private static final String BUCKET = "backups";

    @TempDir
    Path data;
    private BlobStoreContext blobs;
    private S3Proxy s3;
    private Ployer ployer;
    private String databaseId;

    @BeforeEach
    void setUp() throws Exception {
        Environment.requireDocker();
        requireImage("ployer-test/postgres:15");
        Properties properties = new Properties();
        properties.setProperty("jclouds.filesystem.basedir", data.resolve("s3").toString());
        java.nio.file.Files.createDirectories(data.resolve("s3"));
        blobs = ContextBuilder.newBuilder("filesystem").credentials("identity", "credential").overrides(properties)
                .build(BlobStoreContext.class);
        blobs.getBlobStore().createContainerInLocation(null, BUCKET);
        s3 = S3Proxy.builder().blobStore(blobs.getBlobStore()).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY).build();
        s3.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!AbstractLifeCycle.STARTED.equals(s3.getState()) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
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
    void tearDown() throws Exception {
        if (ployer != null) {
            if (databaseId != null) {
                try {
                    ployer.databases().delete(databaseId, true);
                } catch (RuntimeException e) {
                    // best effort
                }
            }
            ployer.close();
        }
        if (s3 != null) {
            s3.stop();
        }
        if (blobs != null) {
            blobs.close();
        }
    }

    private BackupDestination s3Destination(String name, String endpoint) {
        return ployer.databases().createDestination(new BackupDestinationSpec(name, BackupDestination.Kind.S3, "ployer", endpoint,
                BUCKET, "us-east-1", true, ACCESS_KEY, SECRET_KEY));
    }

    private String s3Endpoint() {
        return "http://127.0.0.1:" + s3.getPort();
    }

    @Test
    void postgresBacksUpToS3RestoresPrunesAndSurvivesAnUnreachableEndpoint() throws Exception {
        String name = "it-pg-" + UUID.randomUUID().toString().substring(0, 6);
        Database database = ployer.databases().create(new DatabaseSpec(name, DatabaseEngine.POSTGRESQL, "15", null, false, null));
        databaseId = database.id();
        assertThat(database.status()).isEqualTo(DatabaseStatus.RUNNING);
        assertThat(ployer.databases().health(database.id()).ready()).isTrue();

        psql(database, "CREATE TABLE items (id int PRIMARY KEY, label text); INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 1000) g;");
        assertThat(psql(database, "SELECT count(*) FROM items")).isEqualTo("1000");

        BackupDestination destination = s3Destination("it-s3", s3Endpoint());
        ployer.databases().setBackupPolicy(database.id(), new BackupPolicy(null, 2, destination.id()));
        Backup first = ployer.databases().backup(database.id(), null);
        assertThat(first.status()).as(first.reason()).isEqualTo(Backup.Status.SUCCEEDED);
        assertThat(first.sizeBytes()).isPositive();
        assertThat(first.sha256()).hasSize(64);
        assertThat(objects()).contains("ployer/" + first.location(), "ployer/" + first.location() + ".manifest.json");

        psql(database, "DELETE FROM items;");
        assertThat(psql(database, "SELECT count(*) FROM items")).isEqualTo("0");
        ployer.databases().restore(database.id(), first.id());
        assertThat(psql(database, "SELECT count(*) FROM items")).isEqualTo("1000");

        var verified = ployer.databases().verify(database.id(), first.id());
        assertThat(verified.ready()).as(verified.detail()).isTrue();

        Backup second = ployer.databases().backup(database.id(), null);
        Backup third = ployer.databases().backup(database.id(), null);
        assertThat(List.of(second.status(), third.status())).containsOnly(Backup.Status.SUCCEEDED);
        assertThat(objects()).doesNotContain("ployer/" + first.location())
                .contains("ployer/" + second.location(), "ployer/" + third.location());
        assertThat(ployer.databases().backups(database.id())).filteredOn(backup -> backup.id().equals(first.id()))
                .singleElement().extracting(Backup::status).isEqualTo(Backup.Status.PRUNED);

        BackupDestination unreachable = s3Destination("it-s3-down", "http://127.0.0.1:" + closedPort());
        Backup failed = ployer.databases().backup(database.id(), unreachable.id());
        assertThat(failed.status()).isEqualTo(Backup.Status.FAILED);
        assertThat(failed.reason()).contains("could not be reached").doesNotContain(SECRET_KEY);
        Backup next = ployer.databases().backup(database.id(), null);
        assertThat(next.status()).as(next.reason()).isEqualTo(Backup.Status.SUCCEEDED);
        assertThat(ployer.databases().backups(database.id())).extracting(Backup::id).contains(failed.id(), next.id());
    }

    @Test
    void aLinkedApplicationContainerReadsTheDatabaseOverItsPrivateNetwork() throws Exception {
        String name = "it-link-" + UUID.randomUUID().toString().substring(0, 6);
        Database database = ployer.databases().create(new DatabaseSpec(name, DatabaseEngine.POSTGRESQL, "15", null, false, null));
        databaseId = database.id();
        psql(database, "CREATE TABLE items (id int); INSERT INTO items SELECT generate_series(1, 42);");
        var application = ployer.applications().create(io.ployer.api.application.ApplicationSpec.named(name + "-app")
                .withGit("https://git.example.com/team/app.git", "main"));
        var link = ployer.databases().link(application.id(), database.id(), "SHOP_DB");
        assertThat(link.environment()).containsEntry("SHOP_DB_HOST", name).containsEntry("SHOP_DB_PASSWORD", "********")
                .containsKeys("SHOP_DB_URL", "SHOP_DB_PORT", "SHOP_DB_USER", "SHOP_DB_NAME");
        assertThat(link.environment().get("SHOP_DB_URL")).contains("********");
        assertThat(ployer.databases().links(application.id())).singleElement().isEqualTo(link);

        // The runtime the pipeline gets: a container of the application's deployment is linked when created.
        try (var docker = new io.ployer.plugin.docker.internal.DockerContainerRuntime("unix:///var/run/docker.sock", "127.0.0.1",
                java.time.Duration.ofSeconds(30), java.time.Clock.systemUTC())) {
            var linking = LinkingContainerRuntime.linking(docker, (DefaultDatabaseService) ployer.databases());
            // The test images share one rootfs, so this one has psql; its entrypoint runs any command.
            String containerId = linking.createContainer(new io.ployer.spi.runtime.ContainerSpec(name + "-reader",
                    "ployer-test/redis:7", java.util.Map.of(), 0, java.util.Map.of(
                    io.ployer.spi.runtime.ContainerRuntime.LABEL_APP, application.id(),
                    io.ployer.spi.runtime.ContainerRuntime.LABEL_DEPLOYMENT, "it"), null, null,
                    List.of("sh", "-c", "psql \"$SHOP_DB_URL\" -tAc 'SELECT count(*) FROM items'"), null));
            try {
                linking.startContainer(containerId);
                assertThat(docker("wait", containerId)).isEqualTo("0");
                assertThat(String.join("\n", docker.logs(containerId, 20))).contains("42");
            } finally {
                docker.removeContainer(containerId, true);
            }
        }
    }

    @Test
    void mariadbAndRedisBackUpToALocalDirectoryAndRestore() throws Exception {
        requireImage("ployer-test/mariadb:10.11");
        requireImage("ployer-test/redis:7");
        BackupDestination local = ployer.databases().createDestination(new BackupDestinationSpec("it-local",
                BackupDestination.Kind.LOCAL, data.resolve("backups").toString(), null, null, null, null, null, null));

        String mariadbName = "it-maria-" + UUID.randomUUID().toString().substring(0, 6);
        Database mariadb = ployer.databases().create(new DatabaseSpec(mariadbName, DatabaseEngine.MARIADB, "10.11", null, false, null));
        databaseId = mariadb.id();
        assertThat(ployer.databases().health(mariadb.id()).ready()).isTrue();
        String table = mariadb.databaseName() + ".items";
        mysql(mariadb, "CREATE TABLE " + table + " (id INT PRIMARY KEY); INSERT INTO " + table + " VALUES (1), (2), (3);");
        Backup mariadbBackup = ployer.databases().backup(mariadb.id(), local.id());
        assertThat(mariadbBackup.status()).as(mariadbBackup.reason()).isEqualTo(Backup.Status.SUCCEEDED);
        assertThat(data.resolve("backups").resolve(mariadbBackup.location())).exists();
        mysql(mariadb, "DELETE FROM " + table + ";");
        ployer.databases().restore(mariadb.id(), mariadbBackup.id());
        assertThat(mysql(mariadb, "SELECT count(*) FROM " + table)).isEqualTo("3");
        ployer.databases().delete(mariadb.id(), true);

        String redisName = "it-redis-" + UUID.randomUUID().toString().substring(0, 6);
        Database redis = ployer.databases().create(new DatabaseSpec(redisName, DatabaseEngine.REDIS, "7", null, false, null));
        databaseId = redis.id();
        assertThat(ployer.databases().health(redis.id()).ready()).isTrue();
        redisCli(redis, "SET", "greeting", "hello");
        Backup redisBackup = ployer.databases().backup(redis.id(), local.id());
        assertThat(redisBackup.status()).as(redisBackup.reason()).isEqualTo(Backup.Status.SUCCEEDED);
        redisCli(redis, "DEL", "greeting");
        ployer.databases().restore(redis.id(), redisBackup.id());
        assertThat(redisCli(redis, "GET", "greeting")).isEqualTo("hello");
    }

    /** Runs SQL as root in the MariaDB container; the root password is in the container's own environment. */
    private static String mysql(Database database, String sql) throws Exception {
        return docker("exec", "ployer-db-" + database.name(), "sh", "-c", "MYSQL_PWD=\"$MARIADB_ROOT_PASSWORD\" mariadb -uroot -N -e \"$1\"",
                "sh", sql);
    }

    private static String redisCli(Database database, String... arguments) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("exec", "ployer-db-" + database.name(), "sh", "-c",
                "REDISCLI_AUTH=\"$REDIS_PASSWORD\" redis-cli \"$@\"", "sh"));
        command.addAll(List.of(arguments));
        return docker(command.toArray(String[]::new));
    }

    private List<String> objects() {
        BlobStore store = blobs.getBlobStore();
        return store.list(BUCKET, org.jclouds.blobstore.options.ListContainerOptions.Builder.recursive()).stream()
                .map(StorageMetadata::getName).toList();
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Runs SQL in the database's container over its local socket (trusted there), returning the output. */
    private static String psql(Database database, String sql) throws Exception {
        return docker("exec", "ployer-db-" + database.name(), "psql", "-U", database.username(), "-d", database.databaseName(),
                "-tAc", sql);
    }

    private static String docker(String... arguments) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("docker"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }

    static void requireImage(String image) throws Exception {
        Process process = new ProcessBuilder("docker", "image", "inspect", image).redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        if (process.waitFor() != 0) {
            String reason = "the image " + image + " is missing: run scripts/provision-test-env.sh";
            if (Boolean.parseBoolean(System.getenv(Environment.REQUIRE_VARIABLE))) {
                throw new AssertionError(reason);
            }
            org.junit.jupiter.api.Assumptions.assumeTrue(false, reason);
        }
    }
}
