package io.ployer.engine.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ployer.api.Ployer;
import io.ployer.api.PloyerException;
import io.ployer.api.application.ApplicationSpec;
import io.ployer.api.database.Backup;
import io.ployer.api.database.BackupDestination;
import io.ployer.api.database.BackupDestinationSpec;
import io.ployer.api.database.BackupPolicy;
import io.ployer.engine.backup.BackupArchive;
import io.ployer.testkit.Environment;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Platform backups: Ployer's own archive (database, key, manifest) to a backup destination on demand
 * and on a cron schedule, recorded, pruned to the policy's count, and restorable into a new data
 * directory that an engine then opens with the same applications.
 */
class PlatformBackupIT {
    @TempDir
    Path data;

    @Test
    void theArchiveGoesToTheDestinationOnAScheduleIsPrunedAndRestores() throws Exception {
        Environment.requireDocker(); // the database service runs with a container runtime
        Path backups = data.resolve("backups");
        try (Ployer ployer = Ployer.builder().dataDirectory(data.resolve("engine")).config("reconcile", "false").build()) {
            ployer.start();
            ployer.applications().create(ApplicationSpec.named("kept-app").withGit("https://git.example.com/team/app.git", "main"));
            BackupDestination local = ployer.databases().createDestination(new BackupDestinationSpec("platform-local",
                    BackupDestination.Kind.LOCAL, backups.toString(), null, null, null, null, null, null));
            assertThatThrownBy(() -> ployer.databases().platformBackup(null)).isInstanceOf(PloyerException.class)
                    .hasMessageContaining("there is no platform backup policy");
            assertThatThrownBy(() -> ployer.databases().setPlatformBackupPolicy(new BackupPolicy("every day", 1, local.id())))
                    .isInstanceOf(PloyerException.class).hasMessageContaining("cron expression");

            Backup first = ployer.databases().platformBackup(local.id());
            assertThat(first.status()).as(first.reason()).isEqualTo(Backup.Status.SUCCEEDED);
            Path archive = backups.resolve(first.location());
            assertThat(sha256(archive)).isEqualTo(first.sha256());
            assertThat(Files.size(archive)).isEqualTo(first.sizeBytes());
            assertThat(backups.resolve(first.location() + ".manifest.json")).exists();
            try (ZipFile zip = new ZipFile(archive.toFile())) {
                assertThat(zip.stream().map(java.util.zip.ZipEntry::getName).toList())
                        .contains(BackupArchive.MANIFEST, BackupArchive.DATABASE, BackupArchive.KEY_FILE);
            }
            Path copy = data.resolve("first.zip");
            Files.copy(archive, copy);

            // Every minute, keep one: the first scheduled run takes a new one and prunes the on-demand one.
            ployer.databases().setPlatformBackupPolicy(new BackupPolicy("* * * * *", 1, local.id()));
            assertThat(ployer.databases().platformBackupPolicy()).contains(new BackupPolicy("* * * * *", 1, local.id()));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(150);
            while (ployer.databases().platformBackups().stream().noneMatch(backup -> !backup.id().equals(first.id())
                    && backup.status() == Backup.Status.SUCCEEDED) && System.nanoTime() < deadline) {
                Thread.sleep(500);
            }
            List<Backup> recorded = ployer.databases().platformBackups();
            assertThat(recorded).filteredOn(backup -> backup.status() == Backup.Status.SUCCEEDED).hasSize(1)
                    .allSatisfy(backup -> assertThat(backup.id()).isNotEqualTo(first.id()));
            assertThat(recorded).filteredOn(backup -> backup.id().equals(first.id())).singleElement()
                    .extracting(Backup::status).isEqualTo(Backup.Status.PRUNED);
            assertThat(archive).doesNotExist();
            assertThatThrownBy(() -> ployer.databases().deleteDestination(local.id())).isInstanceOf(PloyerException.class)
                    .hasMessageContaining("platform backups go to this destination");
            ployer.databases().setPlatformBackupPolicy(null);
            assertThat(ployer.databases().platformBackupPolicy()).isEmpty();
        }

        // The archive taken to the destination restores into a new data directory.
        Path restored = data.resolve("restored");
        BackupArchive.restore(data.resolve("first.zip"), restored, false, false, staged -> {
            try (Ployer check = Ployer.builder().dataDirectory(staged).config("reconcile", "false").build()) {
                check.start();
            }
        });
        try (Ployer ployer = Ployer.builder().dataDirectory(restored).config("reconcile", "false").build()) {
            ployer.start();
            assertThat(ployer.applications().findByName("kept-app")).isPresent();
        }
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            in.transferTo(new java.security.DigestOutputStream(java.io.OutputStream.nullOutputStream(), digest));
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
