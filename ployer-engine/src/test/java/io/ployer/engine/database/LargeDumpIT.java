package io.ployer.engine.database;

import static org.assertj.core.api.Assertions.assertThat;

import io.ployer.api.Ployer;
import io.ployer.api.database.Backup;
import io.ployer.api.database.BackupDestination;
import io.ployer.api.database.BackupDestinationSpec;
import io.ployer.api.database.Database;
import io.ployer.api.database.DatabaseEngine;
import io.ployer.api.database.DatabaseSpec;
import io.ployer.testkit.Environment;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A dump larger than the heap streams to S3 and restores (opt-in, slow): run with
 * {@code -Dployer.large-dump-rows=1300000} (about 290 MB of table) and a small heap for the test JVM
 * ({@code -DargLine=-Xmx256m}); prints the JVM's peak resident memory during backup and restore.
 */
class LargeDumpIT {
    @TempDir
    Path data;

    @Test
    void aDumpLargerThanTheHeapStreamsToS3AndRestores() throws Exception {
        String rows = System.getProperty("ployer.large-dump-rows");
        Assumptions.assumeTrue(rows != null, "set -Dployer.large-dump-rows=N to run the large-dump test");
        Environment.requireDocker();
        DatabaseBackupIT.requireImage("ployer-test/postgres:15");
        Properties properties = new Properties();
        properties.setProperty("jclouds.filesystem.basedir", data.resolve("s3").toString());
        Files.createDirectories(data.resolve("s3"));
        try (BlobStoreContext blobs = ContextBuilder.newBuilder("filesystem").credentials("identity", "credential")
                .overrides(properties).build(BlobStoreContext.class)) {
            blobs.getBlobStore().createContainerInLocation(null, "backups");
            S3Proxy s3 = S3Proxy.builder().blobStore(blobs.getBlobStore()).endpoint(URI.create("http://127.0.0.1:0"))
                    .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, "access", "secret-key").build();
            s3.start();
            while (!AbstractLifeCycle.STARTED.equals(s3.getState())) {
                Thread.sleep(10);
            }
            try (Ployer ployer = Ployer.builder().dataDirectory(data.resolve("engine")).config("databases.enabled", "true")
                    .config("databases.image-postgresql", "ployer-test/postgres").config("reconcile", "false").build()) {
                ployer.start();
                String name = "it-large-" + UUID.randomUUID().toString().substring(0, 6);
                Database database = ployer.databases().create(new DatabaseSpec(name, DatabaseEngine.POSTGRESQL, "15", null, false, null));
                try {
                    psql(database, "CREATE TABLE big AS SELECT g AS id, md5(g::text) || md5((g * 7)::text) || md5((g * 13)::text)"
                            + " || md5((g * 17)::text) || md5((g * 19)::text) || md5((g * 23)::text) AS payload"
                            + " FROM generate_series(1, " + Long.parseLong(rows) + ") g");
                    AtomicLong peak = new AtomicLong(residentKilobytes());
                    Thread sampler = new Thread(() -> {
                        while (!Thread.currentThread().isInterrupted()) {
                            peak.accumulateAndGet(residentKilobytes(), Math::max);
                            try {
                                Thread.sleep(100);
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                    });
                    sampler.setDaemon(true);
                    sampler.start();
                    BackupDestination destination = ployer.databases().createDestination(new BackupDestinationSpec("large",
                            BackupDestination.Kind.S3, "p", "http://127.0.0.1:" + s3.getPort(), "backups", "us-east-1", true,
                            "access", "secret-key"));
                    Backup backup = ployer.databases().backup(database.id(), destination.id());
                    assertThat(backup.status()).as(backup.reason()).isEqualTo(Backup.Status.SUCCEEDED);
                    psql(database, "DROP TABLE big");
                    ployer.databases().restore(database.id(), backup.id());
                    assertThat(psql(database, "SELECT count(*) FROM big")).isEqualTo(rows);
                    sampler.interrupt();
                    System.err.printf("large dump: %d MiB compressed, heap max %d MiB, peak RSS %d MiB%n",
                            backup.sizeBytes() >> 20, Runtime.getRuntime().maxMemory() >> 20, peak.get() >> 10);
                } finally {
                    ployer.databases().delete(database.id(), true);
                }
            } finally {
                s3.stop();
            }
        }
    }

    private static long residentKilobytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (java.io.IOException e) {
            return 0;
        }
        return 0;
    }

    private static String psql(Database database, String sql) throws Exception {
        Process process = new ProcessBuilder(List.of("docker", "exec", "ployer-db-" + database.name(), "psql", "-U",
                database.username(), "-d", database.databaseName(), "-tAc", sql)).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(process.waitFor(10, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }
}
