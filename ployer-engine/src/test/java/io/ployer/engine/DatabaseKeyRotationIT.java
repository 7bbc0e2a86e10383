package io.ployer.engine;

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
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A key rotation re-encrypts database passwords and backup destination secrets: after it, an engine
 * with the new key alone starts, probes the database with its password and backs it up to S3 (a real
 * S3 API on 127.0.0.1) with the destination's secret key.
 */
class DatabaseKeyRotationIT {
    private static final String SECRET_KEY = "rotation-secret-key-for-s3";

    @TempDir
    Path data;

    @Test
    void databasePasswordsAndDestinationSecretsAreReencryptedAndStillWork() throws Exception {
        Environment.requireDocker();
        io.ployer.engine.database.DatabaseBackupITAccess.requireImage("ployer-test/postgres:15");
        Properties properties = new Properties();
        properties.setProperty("jclouds.filesystem.basedir", data.resolve("s3").toString());
        Files.createDirectories(data.resolve("s3"));
        Path engineData = data.resolve("engine");
        Map<String, String> images = Map.of("databases.image-postgresql", "ployer-test/postgres", "reconcile", "false");
        try (BlobStoreContext blobs = ContextBuilder.newBuilder("filesystem").credentials("identity", "credential")
                .overrides(properties).build(BlobStoreContext.class)) {
            blobs.getBlobStore().createContainerInLocation(null, "rotation");
            S3Proxy s3 = S3Proxy.builder().blobStore(blobs.getBlobStore()).endpoint(URI.create("http://127.0.0.1:0"))
                    .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, "rotation-access", SECRET_KEY).build();
            s3.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!AbstractLifeCycle.STARTED.equals(s3.getState()) && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            String databaseId = null;
            String destinationId;
            try {
                try (Ployer ployer = started(engineData, EngineFixture.KEY_ONE, images)) {
                    Database database = ployer.databases().create(new DatabaseSpec("rot-" + UUID.randomUUID().toString().substring(0, 6),
                            DatabaseEngine.POSTGRESQL, "15", null, false, null));
                    databaseId = database.id();
                    destinationId = ployer.databases().createDestination(new BackupDestinationSpec("rotation-s3",
                            BackupDestination.Kind.S3, "ployer", "http://127.0.0.1:" + s3.getPort(), "rotation", "us-east-1", true,
                            "rotation-access", SECRET_KEY)).id();
                }
                try (Ployer ployer = started(engineData, EngineFixture.KEY_TWO + "," + EngineFixture.KEY_ONE, images)) {
                    // Password and secret key: two values, then none left under the old key.
                    assertThat(ployer.administration().reencryptSecrets()).isEqualTo(2);
                    assertThat(ployer.administration().reencryptSecrets()).isZero();
                }
                String readable = new String(Files.readAllBytes(engineData.resolve("ployer.db")), StandardCharsets.ISO_8859_1);
                assertThat(readable).doesNotContain(SECRET_KEY);
                try (Ployer ployer = started(engineData, EngineFixture.KEY_TWO, images)) {
                    assertThat(ployer.databases().health(databaseId).ready()).isTrue();
                    Backup backup = ployer.databases().backup(databaseId, destinationId);
                    assertThat(backup.status()).as(backup.reason()).isEqualTo(Backup.Status.SUCCEEDED);
                    ployer.databases().delete(databaseId, true);
                    databaseId = null;
                }
            } finally {
                if (databaseId != null) {
                    try (Ployer ployer = started(engineData, EngineFixture.KEY_TWO + "," + EngineFixture.KEY_ONE, images)) {
                        ployer.databases().delete(databaseId, true);
                    }
                }
                s3.stop();
            }
        }
    }

    private static Ployer started(Path data, String keys, Map<String, String> config) {
        Ployer ployer = EngineFixture.builder(data).config("secret", keys).config(config).build();
        ployer.start();
        return ployer;
    }
}
