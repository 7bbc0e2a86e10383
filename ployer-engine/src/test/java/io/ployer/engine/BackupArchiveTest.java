package io.ployer.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ployer.api.Ployer;
import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.api.application.Application;
import io.ployer.api.application.ApplicationSpec;
import io.ployer.api.application.EnvVar;
import io.ployer.engine.backup.BackupArchive;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backup is one archive (database snapshot taken while the engine runs, key file, manifest with
 * checksums), and a restore checks the archive and the key before writing anything.
 */
class BackupArchiveTest {
    private static final String SECRET_VALUE = "backup-round-trip-secret-4e1b";

    @TempDir
    Path temporary;

    private Path data() {
        return temporary.resolve("data");
    }

    private static Consumer<Path> opener(Map<String, String> config) {
        return staged -> {
            try (Ployer ployer = EngineFixture.builder(staged).config(config).config("reconcile", "false").build()) {
                ployer.start();
            }
        };
    }

    /** An engine with an app and a secret env value, backed up while it runs. */
    private Path backup(Map<String, String> config) {
        Path archive = temporary.resolve("backups").resolve("ployer-backup.zip");
        try (Ployer ployer = EngineFixture.started(data(), config)) {
            Application application = ployer.applications().create(ApplicationSpec.named("kept")
                    .withGit("https://git.example.com/team/kept.git", "main"));
            ployer.applications().setEnvVar(application.id(), "DATABASE_PASSWORD", SECRET_VALUE, false);
            ployer.administration().backupArchive(archive);
            // Written after the snapshot: not in the backup.
            ployer.applications().create(ApplicationSpec.named("later").withGit("https://git.example.com/team/later.git", "main"));
        }
        return archive;
    }

    private static Map<String, String> entries(Path archive) throws IOException {
        Map<String, String> entries = new java.util.TreeMap<>();
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(archive))) {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                entries.put(entry.getName(), new String(zip.readAllBytes(), StandardCharsets.ISO_8859_1));
            }
        }
        return entries;
    }

    @Test
    void roundTripsAppsAndSecretsThroughOneArchiveIntoANewDataDirectory() throws IOException {
        Path archive = backup(Map.of());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(archive))).isEqualTo("rw-------");
        Map<String, String> entries = entries(archive);
        assertThat(entries).containsOnlyKeys("manifest.json", "ployer.db", "secret.key");
        assertThat(entries.get("secret.key")).isEqualTo(Files.readString(data().resolve("secret.key")));
        assertThat(entries.get("manifest.json")).contains("\"format\": \"ployer-backup-1\"", "\"ployer_version\"",
                "\"created_at\"", "\"source\": \"file\"", "\"key_id\"", "\"key_check\": \"ENC:", "\"sha256\"");
        assertThat(Files.list(archive.getParent())).as("no staging files left beside the archive").containsOnly(archive);

        Path restored = temporary.resolve("restored");
        BackupArchive.Manifest manifest = BackupArchive.restore(archive, restored, false, false, opener(Map.of()));
        assertThat(manifest.keyInArchive()).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(restored))).isEqualTo("rwx------");
        for (String file : new String[] {"ployer.db", "secret.key"}) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(restored.resolve(file)))).as(file)
                    .isEqualTo("rw-------");
        }
        try (Ployer ployer = EngineFixture.started(restored, Map.of())) {
            assertThat(ployer.applications().list()).extracting(Application::name).containsExactly("kept");
            Application application = ployer.applications().list().get(0);
            assertThat(ployer.applications().revealEnvVars(application.id())).extracting(EnvVar::value).containsExactly(SECRET_VALUE);
        }
        assertThat(Files.list(temporary)).as("no staging directory left").extracting(path -> path.getFileName().toString())
                .containsExactlyInAnyOrder("data", "backups", "restored");
    }

    @Test
    void withKeysFromConfigurationTheArchiveSaysSoAndTheRestoreNeedsThatKey() throws IOException {
        Path archive = backup(Map.of("secret", EngineFixture.KEY_ONE));
        assertThat(entries(archive)).containsOnlyKeys("manifest.json", "ployer.db");
        assertThat(entries(archive).get("manifest.json")).contains("\"source\": \"external\"", "\"key_id\": \"k1\"");
        Path restored = temporary.resolve("restored");

        assertThatThrownBy(() -> BackupArchive.restore(archive, restored, false, false, opener(Map.of())))
                .isInstanceOfSatisfying(PloyerException.class, error -> {
                    assertThat(error.code()).isEqualTo(StandardErrorCode.SECRET_KEY_MISMATCH);
                    assertThat(error.getMessage()).contains("PLOYER_SECRET", "k1");
                });
        assertThat(restored).doesNotExist();

        assertThatThrownBy(() -> BackupArchive.restore(archive, restored, false, true, opener(Map.of("secret", EngineFixture.KEY_TWO))))
                .isInstanceOfSatisfying(PloyerException.class, error -> {
                    assertThat(error.code()).isEqualTo(StandardErrorCode.SECRET_KEY_MISMATCH);
                    assertThat(error.getMessage()).startsWith("The key does not open this backup's database");
                });
        assertThat(restored).doesNotExist();
        assertThat(Files.list(temporary)).extracting(path -> path.getFileName().toString()).containsExactlyInAnyOrder("data", "backups");

        BackupArchive.restore(archive, restored, false, true, opener(Map.of("secret", EngineFixture.KEY_ONE)));
        assertThat(restored.resolve("secret.key")).doesNotExist();
        try (Ployer ployer = EngineFixture.started(restored, Map.of("secret", EngineFixture.KEY_ONE))) {
            Application application = ployer.applications().list().get(0);
            assertThat(ployer.applications().revealEnvVars(application.id())).extracting(EnvVar::value).containsExactly(SECRET_VALUE);
        }
    }

    @Test
    void aKeyFileThatIsNotTheDatabasesKeyIsRefusedAndNothingIsWritten() throws IOException {
        Path archive = backup(Map.of());
        Path forged = temporary.resolve("forged.zip");
        String otherKey = EngineFixture.KEY_TWO + "\n";
        rewrite(archive, forged, "secret.key", otherKey, true);
        Path restored = temporary.resolve("restored");
        assertThatThrownBy(() -> BackupArchive.restore(forged, restored, false, false, opener(Map.of())))
                .isInstanceOfSatisfying(PloyerException.class, error -> {
                    assertThat(error.code()).isEqualTo(StandardErrorCode.SECRET_KEY_MISMATCH);
                    assertThat(error.getMessage()).contains("not among the configured keys");
                });
        assertThat(restored).doesNotExist();
    }

    @Test
    void aDamagedArchiveIsRefusedWithASentenceAndNothingIsWritten() throws IOException {
        Path archive = backup(Map.of());
        Path damaged = temporary.resolve("damaged.zip");
        rewrite(archive, damaged, "secret.key", EngineFixture.KEY_TWO + "\n", false);
        Path restored = temporary.resolve("restored");
        assertThatThrownBy(() -> BackupArchive.restore(damaged, restored, false, false, opener(Map.of())))
                .isInstanceOfSatisfying(PloyerException.class, error -> assertThat(error.getMessage())
                        .isEqualTo("The backup " + damaged + " is damaged: the checksum of secret.key does not match its manifest."));
        assertThat(restored).doesNotExist();

        Path notZip = temporary.resolve("notes.txt");
        Files.writeString(notZip, "hello");
        assertThatThrownBy(() -> BackupArchive.restore(notZip, restored, false, false, opener(Map.of())))
                .isInstanceOfSatisfying(PloyerException.class, error -> assertThat(error.getMessage())
                        .startsWith("The file " + notZip + " is not a usable Ployer backup: it has no manifest.json"));
        assertThat(restored).doesNotExist();
        assertThat(Files.list(temporary)).extracting(path -> path.getFileName().toString())
                .containsExactlyInAnyOrder("data", "backups", "damaged.zip", "notes.txt");
    }

    @Test
    void refusesADataDirectoryThatIsNotEmptyUnlessForced() throws IOException {
        Path archive = backup(Map.of());
        Path occupied = temporary.resolve("occupied");
        try (Ployer ployer = EngineFixture.started(occupied, Map.of())) {
            ployer.applications().create(ApplicationSpec.named("other").withGit("https://git.example.com/team/other.git", "main"));
        }
        byte[] before = Files.readAllBytes(occupied.resolve("ployer.db"));
        assertThatThrownBy(() -> BackupArchive.restore(archive, occupied, false, false, opener(Map.of())))
                .isInstanceOfSatisfying(PloyerException.class, error -> assertThat(error.getMessage())
                        .contains("is not empty").contains("--force"));
        assertThat(Files.readAllBytes(occupied.resolve("ployer.db"))).isEqualTo(before);

        Files.writeString(occupied.resolve("ployer.db-wal"), "stale journal of the replaced database");
        BackupArchive.restore(archive, occupied, true, false, opener(Map.of()));
        assertThat(occupied.resolve("ployer.db-wal")).doesNotExist();
        try (Ployer ployer = EngineFixture.started(occupied, Map.of())) {
            assertThat(ployer.applications().list()).extracting(Application::name).containsExactly("kept");
        }
    }

    /** Copies the archive, replacing one entry's content, and optionally the manifest's checksum of it. */
    private static void rewrite(Path archive, Path copy, String name, String content, boolean fixChecksum) throws IOException {
        Map<String, String> entries = entries(archive);
        String oldSum = sha256(entries.get(name));
        entries.put(name, content);
        if (fixChecksum) {
            entries.put("manifest.json", entries.get("manifest.json").replace(oldSum, sha256(content)));
        }
        try (OutputStream out = Files.newOutputStream(copy); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, String> entry : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(entry.getKey()));
                zip.write(entry.getValue().getBytes(StandardCharsets.ISO_8859_1));
                zip.closeEntry();
            }
        }
    }

    private static String sha256(String content) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(content.getBytes(StandardCharsets.ISO_8859_1)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
